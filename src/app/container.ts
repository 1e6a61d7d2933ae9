import 'reflect-metadata';
import { Container } from 'inversify';
import type { Hono } from 'hono';
import { GraphHttpClient } from '../adapters/graph/graph-http-client.js';
import type { GraphCallPolicy } from '../adapters/graph/graph-call-policy.js';
import { PolledFeatureFlags } from '../adapters/flags/polled-feature-flags.js';
import { FeatureFlagGuard, toolDisabledReason } from '../adapters/http/feature-flag-guard.js';
import { IdempotencyInterceptor } from '../adapters/http/idempotency-interceptor.js';
import { RateLimitGuard } from '../adapters/http/rate-limit-guard.js';
import { InMemoryCache } from '../adapters/memory/in-memory-cache.js';
import { InMemoryFeatureFlagStore } from '../adapters/memory/in-memory-feature-flag-store.js';
import { InMemoryIdempotencyStore } from '../adapters/memory/in-memory-idempotency-store.js';
import { InMemoryRateLimiter } from '../adapters/memory/in-memory-rate-limiter.js';
import { GuardedRedis } from '../adapters/redis/guarded-redis.js';
import { createRedisClient, waitForRedis } from '../adapters/redis/redis-client.js';
import { RedisCache } from '../adapters/redis/redis-cache.js';
import { RedisFeatureFlagStore } from '../adapters/redis/redis-feature-flag-store.js';
import { RedisIdempotencyStore } from '../adapters/redis/redis-idempotency-store.js';
import { RedisRateLimiter } from '../adapters/redis/redis-rate-limiter.js';
import { CockatielGraphCallPolicy } from '../adapters/resilience/cockatiel-graph-call-policy.js';
import { FallbackRateLimiter } from '../adapters/resilience/fallback-rate-limiter.js';
import { NO_RESILIENCE_EVENTS, type ResilienceEvents } from '../adapters/resilience/resilience-events.js';
import type { Cache } from '../ports/cache.js';
import type { FeatureFlagStore } from '../ports/feature-flags.js';
import type { IdempotencyStore } from '../ports/idempotency-store.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import { HttpCalendarGateway } from '../adapters/graph/http-calendar-gateway.js';
import { HttpContactsGateway } from '../adapters/graph/http-contacts-gateway.js';
import { HttpTasksGateway } from '../adapters/graph/http-tasks-gateway.js';
import { HttpDriveItemsGateway } from '../adapters/graph/http-drive-items-gateway.js';
import { HttpFilesGateway } from '../adapters/graph/http-files-gateway.js';
import { HttpMailGateway } from '../adapters/graph/http-mail-gateway.js';
import { HttpMailboxGateway } from '../adapters/graph/http-mailbox-gateway.js';
import { HttpSchedulingGateway } from '../adapters/graph/http-scheduling-gateway.js';
import { HttpProfileGateway } from '../adapters/graph/http-profile-gateway.js';
import { HttpSearchGateway } from '../adapters/graph/http-search-gateway.js';
import type { Authenticator } from '../adapters/http/authenticator.js';
import { DevTokenAuthenticator } from '../adapters/http/dev-token-authenticator.js';
import { createHttpApp } from '../adapters/http/http-app.js';
import type { ReadinessCheck } from '../adapters/http/readiness.js';
import { ToolCallPipeline } from '../adapters/http/tool-call-pipeline.js';
import type { ToolDefinition } from '../adapters/http/tools/tool-definition.js';
import { ToolRegistry } from '../adapters/http/tools/tool-registry.js';
import type { EntraSettings } from '../adapters/entra/entra-settings.js';
import { InMemoryGrantStore } from '../adapters/memory/in-memory-grant-store.js';
import { InMemoryOAuthClientStore } from '../adapters/memory/in-memory-oauth-client-store.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { OAuthClientStore } from '../ports/oauth-client-store.js';
import { composeAuth, type AuthComposition } from './auth-composition.js';
import { SandboxGraphTokenProvider } from '../adapters/sandbox/sandbox-graph-token-provider.js';
import { discoveryTools } from '../adapters/http/tools/discovery-tools.js';
import { ProfileGuard } from '../adapters/http/profile-guard.js';
import { scopesFor } from '../domain/families.js';
import { SystemClock } from '../adapters/system/system-clock.js';
import { Redactor } from '../adapters/telemetry/redaction.js';
import { Telemetry } from '../adapters/telemetry/telemetry.js';
import { TelemetryGraphCallPolicy } from '../adapters/telemetry/telemetry-graph-call-policy.js';
import { TelemetryToolCallHooks } from '../adapters/telemetry/telemetry-tool-call-hooks.js';
import { WinstonAuditLog } from '../adapters/telemetry/winston-audit-log.js';
import { WinstonLogger } from '../adapters/telemetry/winston-logger.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { GraphTokenProvider } from '../ports/graph-token-provider.js';
import type { Logger } from '../ports/logger.js';
import type { Config } from './config.js';
import { buildToolCatalogue } from './tool-catalogue.js';
import { TOKENS } from './tokens.js';

/** What exists only once the process runs: where Graph is (the sandbox picks a free port). */
export interface Runtime {
  graphBaseUrl: string;
  /** Our public origin once known (oauth mode: the issuer). */
  publicBaseUrl?: string;
  /** How to reach the identity provider when it is not Entra (the embedded sandbox IdP). */
  entra?: EntraSettings;
  /** Set while draining on shutdown. */
  isAccepting: () => boolean;
  logger?: Logger;
  /** Prometheus `/metrics` handler from startTelemetry, when enabled. */
  metricsHandler?: (request: Request) => Promise<Response>;
  /** Telemetry hooks for retries, throttling, breakers, bulkheads and rate limits. */
  resilienceEvents?: ResilienceEvents;
}

export const SERVER_INFO = { name: 'm365-mcp-gateway', version: '0.1.0' };

const INSTRUCTIONS =
  'Microsoft 365 for the signed-in user: mail_*, calendar_*, files_*, search_query, auth_* (families per deployment profile). ' +
  'Lists page with nextCursor. Errors carry category, retryable and retryAfterSeconds; follow them.';

const DISCOVERY_INSTRUCTIONS =
  'Microsoft 365 for the signed-in user (mail, calendar, files, search). Find a tool with tools_search, ' +
  'read its arguments with tools_describe, run it with tools_call. Errors carry category, retryable and retryAfterSeconds.';

/** The composition root: the only place that chooses adapters. */
export function buildContainer(config: Config, runtime: Runtime): Container {
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind<Config>(TOKENS.Config).toConstantValue(config);
  c.bind<Clock>(TOKENS.Clock).toConstantValue(new SystemClock());
  const redactor = new Redactor({
    hashSalt: config.log.hashSalt,
    tenantMode: config.log.tenantMode,
    userIdMode: config.log.userIdMode,
    allow: config.log.redactionAllow,
    includeStacks: config.log.level === 'debug',
  });
  const service = { name: config.telemetry.serviceName, env: config.telemetry.environment, version: config.telemetry.serviceVersion };
  c.bind<Redactor>(TOKENS.Redactor).toConstantValue(redactor);
  c.bind<Logger>(TOKENS.Logger).toConstantValue(runtime.logger ?? new WinstonLogger({ redactor, level: config.log.level, service }));
  c.bind<AuditLog>(TOKENS.AuditLog).toConstantValue(
    new WinstonAuditLog({
      redactor,
      destination:
        config.audit.destination === 'file'
          ? { kind: 'file', directory: config.audit.directory, retentionDays: config.audit.retentionDays }
          : { kind: 'stdout' },
    }),
  );
  // Built after startTelemetry (gateway.ts) so the instruments bind to the SDK's meter provider.
  c.bind<Telemetry>(TOKENS.Telemetry).toConstantValue(
    new Telemetry({ tenantLabel: (t) => redactor.tenantLabel(t), scrubMessage: (m) => redactor.scrubString(m) }),
  );

  if (config.auth.mode === 'oauth') {
    bindOAuth(c, config, runtime);
  } else {
    c.bind<GraphTokenProvider>(TOKENS.GraphTokenProvider).toDynamicValue(
      (ctx) => new SandboxGraphTokenProvider(
          config.sandbox.secret,
          // What a real sign-in would grant this deployment: the sandbox refuses anything else with 403.
          scopesFor({ families: config.tools.families, readOnly: config.tools.readOnly }),
          ctx.get(TOKENS.Clock),
        ),
    );
    c.bind<Authenticator>(TOKENS.Authenticator).toConstantValue(new DevTokenAuthenticator(config.sandbox.secret));
  }

  const shutdownHooks: Array<() => Promise<void>> = [];
  const startupHooks: Array<() => Promise<void>> = [];
  c.bind(TOKENS.ShutdownHooks).toConstantValue(shutdownHooks);
  c.bind(TOKENS.StartupHooks).toConstantValue(startupHooks);
  bindSharedState(c, config, startupHooks, shutdownHooks);
  c.bind<ResilienceEvents>(TOKENS.ResilienceEvents).toConstantValue(runtime.resilienceEvents ?? NO_RESILIENCE_EVENTS);
  c.bind(TOKENS.FeatureFlags).toDynamicValue((ctx) => {
    const flags = new PolledFeatureFlags(
      ctx.get(TOKENS.FeatureFlagStore),
      { disabled: config.features.disabled, readOnly: config.tools.readOnly },
      config.features.refreshSeconds * 1000,
      ctx.get(TOKENS.Logger),
      ctx.get(TOKENS.ResilienceEvents),
    );
    startupHooks.push(() => flags.start());
    shutdownHooks.unshift(async () => flags.stop());
    return flags;
  });
  c.bind<GraphCallPolicy>(TOKENS.GraphCallPolicy).toDynamicValue(
    (ctx) =>
      new TelemetryGraphCallPolicy(
        new CockatielGraphCallPolicy({
          settings: { ...config.resilience, timeoutMs: config.graph.timeoutMs },
          cache: ctx.get(TOKENS.Cache),
          clock: ctx.get(TOKENS.Clock),
          tuning: ctx.get(TOKENS.FeatureFlags),
          events: ctx.get(TOKENS.ResilienceEvents),
        }),
        ctx.get(TOKENS.Telemetry),
        ctx.get(TOKENS.Clock),
        (t) => redactor.tenantLabel(t),
      ),
  );
  c.bind<GraphHttpClient>(TOKENS.GraphHttpClient).toDynamicValue(
    (ctx) =>
      new GraphHttpClient({
        baseUrl: runtime.graphBaseUrl,
        tokenProvider: ctx.get(TOKENS.GraphTokenProvider),
        timeoutMs: config.graph.timeoutMs,
        policy: ctx.get(TOKENS.GraphCallPolicy),
        clock: ctx.get(TOKENS.Clock),
      }),
  );
  c.bind(TOKENS.MailGateway).toDynamicValue((ctx) => new HttpMailGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.MailboxGateway).toDynamicValue((ctx) => new HttpMailboxGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.SchedulingGateway).toDynamicValue((ctx) => new HttpSchedulingGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.CalendarGateway).toDynamicValue((ctx) => new HttpCalendarGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.FilesGateway).toDynamicValue((ctx) => new HttpFilesGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.DriveItemsGateway).toDynamicValue((ctx) => new HttpDriveItemsGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.ContactsGateway).toDynamicValue((ctx) => new HttpContactsGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.TasksGateway).toDynamicValue((ctx) => new HttpTasksGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.SearchGateway).toDynamicValue((ctx) => new HttpSearchGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.ProfileGateway).toDynamicValue((ctx) => new HttpProfileGateway(ctx.get(TOKENS.GraphHttpClient)));

  c.bind<ToolDefinition[]>(TOKENS.Tools).toDynamicValue((ctx) => [
    ...buildToolCatalogue(config, {
      mail: ctx.get(TOKENS.MailGateway),
      mailbox: ctx.get(TOKENS.MailboxGateway),
      calendar: ctx.get(TOKENS.CalendarGateway),
      scheduling: ctx.get(TOKENS.SchedulingGateway),
      files: ctx.get(TOKENS.FilesGateway),
      driveItems: ctx.get(TOKENS.DriveItemsGateway),
      contacts: ctx.get(TOKENS.ContactsGateway),
      tasks: ctx.get(TOKENS.TasksGateway),
      search: ctx.get(TOKENS.SearchGateway),
      profile: ctx.get(TOKENS.ProfileGateway),
    }, config.auth.mode === 'oauth' ? ctx.get<AuthComposition>(TOKENS.Auth) : undefined),
    // Late-bound: the discovery tools call through the registry and pipeline that hold them.
    ...(config.tools.discoveryMode
      ? discoveryTools({
          registry: () => c.get<ToolRegistry>(TOKENS.ToolRegistry),
          call: (name, args, context) => c.get<ToolCallPipeline>(TOKENS.ToolCallPipeline).call(name, args, context),
        })
      : []),
  ]);
  c.bind(TOKENS.ToolRegistry).toDynamicValue((ctx) => new ToolRegistry(ctx.get(TOKENS.Tools)));
  c.bind(TOKENS.ToolCallPipeline).toDynamicValue(
    (ctx) => {
      const hooks = new TelemetryToolCallHooks(ctx.get(TOKENS.Telemetry), (t) => redactor.tenantLabel(t));
      return new ToolCallPipeline({
        registry: ctx.get(TOKENS.ToolRegistry),
        logger: ctx.get(TOKENS.Logger),
        clock: ctx.get(TOKENS.Clock),
        guards: [
          new ProfileGuard(),
          new FeatureFlagGuard(() => flagsOf(ctx).current()),
          ...(config.rateLimits.enabled ? [new RateLimitGuard(ctx.get(TOKENS.RateLimiter), config.rateLimits, ctx.get(TOKENS.ResilienceEvents))] : []),
        ],
        interceptors: [
          new IdempotencyInterceptor(
            ctx.get(TOKENS.IdempotencyStore),
            ctx.get(TOKENS.Clock),
            { ttlMs: config.idempotency.ttlSeconds * 1000, waitMs: config.idempotency.waitMs },
            ctx.get(TOKENS.Logger),
          ),
        ],
        scope: hooks,
        observers: [hooks],
      });
    },
  );
  c.bind<ReadinessCheck[]>(TOKENS.ReadinessChecks).toConstantValue([graphReachable(runtime.graphBaseUrl)]);
  c.bind<Hono>(TOKENS.HttpApp).toDynamicValue(
    (ctx) =>
      createHttpApp({
        authenticator: ctx.get(TOKENS.Authenticator),
        mcp: {
          registry: ctx.get(TOKENS.ToolRegistry),
          pipeline: ctx.get(TOKENS.ToolCallPipeline),
          serverInfo: SERVER_INFO,
          instructions: config.tools.discoveryMode ? DISCOVERY_INSTRUCTIONS : INSTRUCTIONS,
          discoveryMode: config.tools.discoveryMode,
          visibleTools: ((flags) => async () => {
            const current = flags.current();
            return (tool) => toolDisabledReason(current, tool) === undefined;
          })(flagsOf(ctx)),
        },
        originPolicy: {
          allowedHosts: config.http.allowedHosts,
          allowedOrigins: config.http.allowedOrigins,
          allowLoopback: config.http.allowLoopback,
        },
        readinessChecks: ctx.get(TOKENS.ReadinessChecks),
        bodyLimitBytes: config.http.bodyMaxBytes,
        logger: ctx.get(TOKENS.Logger),
        isAccepting: runtime.isAccepting,
        ...(runtime.metricsHandler ? { metricsHandler: runtime.metricsHandler } : {}),
        ...(config.auth.mode === 'oauth' ? { routes: ctx.get<AuthComposition>(TOKENS.Auth).routes } : {}),
      }) as unknown as Hono,
  );
  return c;
}

function flagsOf(ctx: { get<T>(id: symbol): T }): PolledFeatureFlags {
  return ctx.get<PolledFeatureFlags>(TOKENS.FeatureFlags);
}

/**
 * Cache, rate limiter, idempotency store and flag store: Redis (shared by replicas) when
 * REDIS_URL is set, else in-process (the embedded single-replica default).
 */
function bindSharedState(
  c: Container,
  config: Config,
  startupHooks: Array<() => Promise<void>>,
  shutdownHooks: Array<() => Promise<void>>,
): void {
  const clock = c.get<Clock>(TOKENS.Clock);
  const local = {
    cache: new InMemoryCache(clock),
    limiter: new InMemoryRateLimiter(clock),
    idempotency: new InMemoryIdempotencyStore(clock),
    flags: new InMemoryFeatureFlagStore(),
  };
  if (config.redis === undefined) {
    c.bind<Cache>(TOKENS.Cache).toConstantValue(local.cache);
    c.bind<RateLimiter>(TOKENS.RateLimiter).toConstantValue(local.limiter);
    c.bind<IdempotencyStore>(TOKENS.IdempotencyStore).toConstantValue(local.idempotency);
    c.bind<FeatureFlagStore>(TOKENS.FeatureFlagStore).toConstantValue(local.flags);
    return;
  }
  const logger = c.get<Logger>(TOKENS.Logger);
  const client = createRedisClient({
    url: config.redis.url,
    keyPrefix: config.redis.keyPrefix,
    onError: (error) => logger.warn('redis connection error', { err: error.message }),
  });
  // Start even when Redis is down (limits fall back per replica); it reconnects in the background.
  startupHooks.push(() => waitForRedis(client, 5_000).catch((error: Error) => logger.warn('redis not ready at start-up', { err: error.message })));
  shutdownHooks.push(async () => {
    client.disconnect();
  });
  const redis = new GuardedRedis(client);
  c.bind<Cache>(TOKENS.Cache).toConstantValue(new RedisCache(redis));
  c.bind<RateLimiter>(TOKENS.RateLimiter).toDynamicValue(
    (ctx) =>
      new FallbackRateLimiter(new RedisRateLimiter(redis), local.limiter, (reason) =>
        ctx.get<ResilienceEvents>(TOKENS.ResilienceEvents).rateLimiterFallback({ reason }),
      ),
  );
  c.bind<IdempotencyStore>(TOKENS.IdempotencyStore).toConstantValue(new RedisIdempotencyStore(redis, clock));
  c.bind<FeatureFlagStore>(TOKENS.FeatureFlagStore).toConstantValue(new RedisFeatureFlagStore(redis));
}

/** What the admin CLI needs: the flag store every replica reads, or nothing when it is per-process. */
export async function buildAdminServices(config: Config): Promise<{ flags: FeatureFlagStore | undefined; close(): Promise<void> }> {
  if (config.redis === undefined) return { flags: undefined, close: async () => undefined };
  const client = createRedisClient({ url: config.redis.url, keyPrefix: config.redis.keyPrefix });
  try {
    await waitForRedis(client, 5_000);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return {
    flags: new RedisFeatureFlagStore(new GuardedRedis(client)),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * OAuth mode: our authorization server in front of Entra (or the embedded sandbox IdP). Grants and
 * OAuth clients live in memory until a shared adapter exists (single replica); the Microsoft token
 * custody, sessions, lock, encryptor and audit log come from their own bindings.
 */
function bindOAuth(c: Container, config: Config, runtime: Runtime): void {
  const publicBaseUrl = config.http.publicBaseUrl ?? runtime.publicBaseUrl;
  if (publicBaseUrl === undefined) throw new Error('AUTH_MODE=oauth needs PUBLIC_BASE_URL (or a runtime address).');
  const { clientId, clientSecret } = config.entra;
  const entra: EntraSettings | undefined =
    runtime.entra ??
    (clientId && clientSecret
      ? {
          clientId,
          clientSecret,
          authorityHost: config.entra.authorityHost,
          signInTenant: config.entra.signInTenant,
          redirectUri: `${publicBaseUrl}/oauth/callback`,
          graphScopes: config.auth.scopes,
          requestTimeoutMs: config.entra.timeoutMs,
        }
      : undefined);
  if (entra === undefined) throw new Error('AUTH_MODE=oauth needs ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET.');
  if (!c.isBound(TOKENS.GrantStore)) c.bind<GrantStore>(TOKENS.GrantStore).toDynamicValue((ctx) => new InMemoryGrantStore(ctx.get(TOKENS.Clock)));
  if (!c.isBound(TOKENS.OAuthClientStore)) c.bind<OAuthClientStore>(TOKENS.OAuthClientStore).toDynamicValue((ctx) => new InMemoryOAuthClientStore(ctx.get(TOKENS.Clock)));
  c.bind<AuthComposition>(TOKENS.Auth).toDynamicValue((ctx) => {
    const missing = [TOKENS.TokenStore, TOKENS.SessionStore, TOKENS.Lock, TOKENS.Encryptor, TOKENS.AuditLog].filter((t) => !c.isBound(t));
    if (missing.length > 0) throw new Error(`AUTH_MODE=oauth needs bindings for ${missing.map((t) => t.description).join(', ')}.`);
    return composeAuth({
      auth: config.auth,
      entra,
      publicBaseUrl,
      stores: {
        tokens: ctx.get(TOKENS.TokenStore),
        sessions: ctx.get(TOKENS.SessionStore),
        grants: ctx.get(TOKENS.GrantStore),
        clients: ctx.get(TOKENS.OAuthClientStore),
        lock: ctx.get(TOKENS.Lock),
        encryptor: ctx.get(TOKENS.Encryptor),
      },
      clock: ctx.get(TOKENS.Clock),
      audit: ctx.get(TOKENS.AuditLog),
      logger: ctx.get(TOKENS.Logger),
    });
  });
  c.bind<GraphTokenProvider>(TOKENS.GraphTokenProvider).toDynamicValue((ctx) => ctx.get<AuthComposition>(TOKENS.Auth).graphTokenProvider);
  c.bind<Authenticator>(TOKENS.Authenticator).toDynamicValue((ctx) => ctx.get<AuthComposition>(TOKENS.Auth).authenticator);
}

/** Graph answers unauthenticated requests with 401: reaching it at all is what readiness needs. */
function graphReachable(baseUrl: string): ReadinessCheck {
  return {
    name: 'graph',
    check: async (signal) => {
      const res = await fetch(`${baseUrl}/$metadata#ping`, { method: 'HEAD', signal });
      await res.body?.cancel();
      if (res.status >= 500) throw new Error(`Graph answered ${res.status}`);
    },
  };
}
