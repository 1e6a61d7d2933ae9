import 'reflect-metadata';
import { Container, type ResolutionContext } from 'inversify';
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
import { createRedisClient, waitForRedis, type RedisClient } from '../adapters/redis/redis-client.js';
import { RedisCache } from '../adapters/redis/redis-cache.js';
import { RedisGrantStore } from '../adapters/redis/redis-grant-store.js';
import { Redis } from 'ioredis';
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
import { HttpTeamsGateway } from '../adapters/graph/http-teams-gateway.js';
import { HttpDriveItemsGateway } from '../adapters/graph/http-drive-items-gateway.js';
import { HttpFilesGateway } from '../adapters/graph/http-files-gateway.js';
import { HttpMailGateway } from '../adapters/graph/http-mail-gateway.js';
import { HttpMailboxGateway } from '../adapters/graph/http-mailbox-gateway.js';
import { HttpSchedulingGateway } from '../adapters/graph/http-scheduling-gateway.js';
import { HttpProfileGateway } from '../adapters/graph/http-profile-gateway.js';
import { HttpSearchGateway } from '../adapters/graph/http-search-gateway.js';
import type { Authenticator } from '../adapters/http/authenticator.js';
import { DevTokenAuthenticator } from '../adapters/http/dev-token-authenticator.js';
import { HeapReclaimer, type GcFunction } from '../adapters/http/heap-reclaimer.js';
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
import { RevokeUserAccess } from '../domain/use-cases/revoke-user-access.js';
import { Telemetry } from '../adapters/telemetry/telemetry.js';
import { TelemetryGraphCallPolicy } from '../adapters/telemetry/telemetry-graph-call-policy.js';
import { TelemetryToolCallHooks } from '../adapters/telemetry/telemetry-tool-call-hooks.js';
import { WinstonAuditLog } from '../adapters/telemetry/winston-audit-log.js';
import { WinstonLogger } from '../adapters/telemetry/winston-logger.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { GraphTokenProvider } from '../ports/graph-token-provider.js';
import type { Logger } from '../ports/logger.js';
import { LocalKeyEncryptor } from '../adapters/crypto/local-key-encryptor.js';
import { createTables, type CreatedTable } from '../adapters/dynamo/create-tables.js';
import { createDynamoClient } from '../adapters/dynamo/dynamo-client.js';
import { DynamoExecutor } from '../adapters/dynamo/dynamo-executor.js';
import { DynamoFeatureFlagStore } from '../adapters/dynamo/dynamo-feature-flag-store.js';
import { DynamoGrantStore } from '../adapters/dynamo/dynamo-grant-store.js';
import { DynamoIdempotencyStore } from '../adapters/dynamo/dynamo-idempotency-store.js';
import { DynamoLock } from '../adapters/dynamo/dynamo-lock.js';
import { DynamoOAuthClientStore } from '../adapters/dynamo/dynamo-oauth-client-store.js';
import { dynamoReadinessCheck } from '../adapters/dynamo/dynamo-readiness.js';
import { DynamoSessionStore } from '../adapters/dynamo/dynamo-session-store.js';
import { DynamoTokenStore } from '../adapters/dynamo/dynamo-token-store.js';
import type { DynamoTableNames } from '../adapters/dynamo/table-definitions.js';
import { FallbackCache } from '../adapters/fallback/fallback-cache.js';
import { FallbackGrantStore } from '../adapters/fallback/fallback-grant-store.js';
import { FallbackIdempotencyStore } from '../adapters/fallback/fallback-idempotency-store.js';
import { FallbackLock } from '../adapters/fallback/fallback-lock.js';
import { FallbackSessionStore } from '../adapters/fallback/fallback-session-store.js';
import { describeFailure } from '../adapters/http/readiness.js';
import { createKmsClient } from '../adapters/kms/kms-client.js';
import { KmsEncryptor } from '../adapters/kms/kms-encryptor.js';
import { kmsReadinessCheck } from '../adapters/kms/kms-readiness.js';
import { InMemoryLock } from '../adapters/memory/in-memory-lock.js';
import { InMemorySessionStore } from '../adapters/memory/in-memory-session-store.js';
import { InMemoryTokenStore } from '../adapters/memory/in-memory-token-store.js';
import { RedisLock } from '../adapters/redis/redis-lock.js';
import { redisReadinessCheck } from '../adapters/redis/redis-readiness.js';
import { RedisSessionStore } from '../adapters/redis/redis-session-store.js';
import { ReencryptTokens, type ReencryptTokensInput, type ReencryptTokensResult } from '../domain/use-cases/reencrypt-tokens.js';
import type { Encryptor } from '../ports/encryptor.js';
import type { Lock } from '../ports/lock.js';
import type { SessionStore } from '../ports/session-store.js';
import type { TokenStore } from '../ports/token-store.js';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { AwsStorageConfig, Config, RedisConfig } from './config.js';
import { buildToolCatalogue, type LargeFileUseCases } from './tool-catalogue.js';
import { HttpFileStreamGateway } from '../adapters/graph/http-file-stream-gateway.js';
import { HttpUploadSessionGateway } from '../adapters/graph/http-upload-session-gateway.js';
import { HmacDownloadLinks } from '../adapters/http/hmac-download-links.js';
import { InlineContentGuard } from '../adapters/http/inline-content-guard.js';
import { mountLargeFileRoutes, type LargeFileRoutesDeps } from '../adapters/http/large-file-routes.js';
import { InMemoryUploadSessionStore } from '../adapters/memory/in-memory-upload-session-store.js';
import { RedisUploadSessionStore } from '../adapters/redis/redis-upload-session-store.js';
import { EncryptedUploadSessionStore } from '../adapters/crypto/encrypted-upload-session-store.js';
import { DynamoUploadSessionStore } from '../adapters/dynamo/dynamo-upload-session-store.js';
import { AppendUploadBytes } from '../domain/use-cases/append-upload-bytes.js';
import { CancelUpload } from '../domain/use-cases/cancel-upload.js';
import { GetUploadStatus } from '../domain/use-cases/get-upload-status.js';
import { StartAttachmentUpload } from '../domain/use-cases/start-attachment-upload.js';
import { StartUpload } from '../domain/use-cases/start-upload.js';
import { StreamAttachment } from '../domain/use-cases/stream-attachment.js';
import { StreamFile } from '../domain/use-cases/stream-file.js';
import type { DownloadLinks } from '../ports/download-links.js';
import type { FileStreamGateway } from '../ports/file-stream-gateway.js';
import type { UploadSessionGateway } from '../ports/upload-session-gateway.js';
import type { UploadSessionStore } from '../ports/upload-session-store.js';
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
  /** An upload store shared with other gateways in the process (tests); default a fresh in-memory one. */
  uploadSessionStore?: UploadSessionStore;
}

export const SERVER_INFO = { name: 'm365-mcp-gateway', version: '0.1.0' };

/** Said once here rather than in every tool's schema (tools/list is paid for on every request). */
const CONVENTIONS =
  'Lists page: pass nextCursor back as cursor (it keeps the filters); it is absent on the last page. ' +
  'Writes accept idempotency_key: a retry with the same key and arguments returns the first result instead of acting twice. ' +
  'Errors carry category, retryable and retryAfterSeconds; follow them.';

const INSTRUCTIONS =
  'Microsoft 365 for the signed-in user: mail_*, calendar_*, files_*, search_query, contacts_*, tasks_*, teams_*, auth_* ' +
  `(families per deployment profile). ${CONVENTIONS}`;

const DISCOVERY_INSTRUCTIONS =
  'Microsoft 365 for the signed-in user (mail, calendar, files, search, contacts, tasks, Teams). Find a tool with tools_search, ' +
  `read its arguments with tools_describe, run it with tools_call. ${CONVENTIONS}`;

/** The composition root: the only place that chooses adapters. */
export function buildContainer(config: Config, runtime: Runtime): Container {
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind<Config>(TOKENS.Config).toConstantValue(config);
  c.bind<Clock>(TOKENS.Clock).toConstantValue(new SystemClock());
  const redactor = redactorFor(config, config.log.level === 'debug');
  const service = { name: config.telemetry.serviceName, env: config.telemetry.environment, version: config.telemetry.serviceVersion };
  c.bind<Redactor>(TOKENS.Redactor).toConstantValue(redactor);
  const logger = runtime.logger ?? new WinstonLogger({ redactor, level: config.log.level, service });
  c.bind<Logger>(TOKENS.Logger).toConstantValue(logger);
  c.bind<AuditLog>(TOKENS.AuditLog).toConstantValue(auditLogFor(config, redactor));
  // Built after startTelemetry (gateway.ts) so the instruments bind to the SDK's meter provider.
  const telemetry = new Telemetry({ tenantLabel: (t) => redactor.tenantLabel(t), scrubMessage: (m) => redactor.scrubString(m) });
  c.bind<Telemetry>(TOKENS.Telemetry).toConstantValue(telemetry);
  const shutdownHooks: Array<() => Promise<void>> = [];
  const startupHooks: Array<() => Promise<void>> = [];
  c.bind(TOKENS.ShutdownHooks).toConstantValue(shutdownHooks);
  c.bind(TOKENS.StartupHooks).toConstantValue(startupHooks);
  const events = runtime.resilienceEvents ?? NO_RESILIENCE_EVENTS;
  c.bind<ResilienceEvents>(TOKENS.ResilienceEvents).toConstantValue(events);
  // Before the auth bindings: oauth mode takes the stores (and shared grant stores) bound here.
  const storage = bindStorage(c, config, {
    logger,
    telemetry,
    clock: c.get<Clock>(TOKENS.Clock),
    events,
    shutdownHooks,
    ...(runtime.uploadSessionStore ? { uploadSessionStore: runtime.uploadSessionStore } : {}),
  });
  c.bind<StorageLifecycle>(TOKENS.StorageLifecycle).toConstantValue(storage);

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
  c.bind(TOKENS.TeamsGateway).toDynamicValue((ctx) => new HttpTeamsGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.SearchGateway).toDynamicValue((ctx) => new HttpSearchGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind(TOKENS.ProfileGateway).toDynamicValue((ctx) => new HttpProfileGateway(ctx.get(TOKENS.GraphHttpClient)));

  bindLargeFiles(c, config, runtime);

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
      teams: ctx.get(TOKENS.TeamsGateway),
      search: ctx.get(TOKENS.SearchGateway),
      profile: ctx.get(TOKENS.ProfileGateway),
    }, config.auth.mode === 'oauth' ? ctx.get<AuthComposition>(TOKENS.Auth) : undefined, ctx.get(TOKENS.LargeFileUseCases)),
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
          new InlineContentGuard(config.limits.inlineContentMaxBytes),
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
  c.bind<ReadinessCheck[]>(TOKENS.ReadinessChecks).toConstantValue([graphReachable(runtime.graphBaseUrl), ...storage.checks]);
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
        heapReclaimer: new HeapReclaimer((globalThis as { gc?: GcFunction }).gc, config.http.heapReclaimAfterBytes),
        logger: ctx.get(TOKENS.Logger),
        isAccepting: runtime.isAccepting,
        ...(runtime.metricsHandler ? { metricsHandler: runtime.metricsHandler } : {}),
        ...(config.auth.mode === 'oauth' ? { routes: ctx.get<AuthComposition>(TOKENS.Auth).routes } : {}),
        mounts: [(app) => mountLargeFileRoutes(app, largeFileRouteDeps(ctx, config))],
      }) as unknown as Hono,
  );
  return c;
}

function flagsOf(ctx: { get<T>(id: symbol): T }): PolledFeatureFlags {
  return ctx.get<PolledFeatureFlags>(TOKENS.FeatureFlags);
}

/** The storage dependencies as the gateway starts and probes them (closing is a shutdown hook). */
export interface StorageLifecycle {
  /** Reported by `/readyz` and verified once at start-up (critical ones stop the start). */
  checks: ReadinessCheck[];
  /** Gives connections a moment to come up before the start-up checks. */
  connect(): Promise<void>;
}

interface StorageDeps {
  logger: Logger;
  telemetry: Telemetry;
  clock: Clock;
  events: ResilienceEvents;
  shutdownHooks: Array<() => Promise<void>>;
  /** Replaces the upload-session store underneath the encryption (tests sharing one between gateways). */
  uploadSessionStore?: UploadSessionStore;
}

const REDIS_CONNECT_WAIT_MS = 3_000;
const REDIS_HINT = 'REDIS_URL, REDIS_CLUSTER_NODES, REDIS_TLS, REDIS_USERNAME/REDIS_PASSWORD';

/**
 * Every storage port (docs/storage.md). STORAGE=memory: in-process stores and a local key, with
 * cache, rate limits, idempotency and flags in Redis when REDIS_URL is set (shared by replicas).
 * STORAGE=aws: tokens, flags, OAuth grants and clients in DynamoDB (access-token lookups cached in
 * Redis); sessions, idempotency and locks in Redis backed by DynamoDB; cache and rate limits in
 * Redis with a bypass and per-replica buckets while it is down; KMS envelope encryption. One client
 * of each kind.
 */
function bindStorage(c: Container, config: Config, deps: StorageDeps): StorageLifecycle {
  const { logger, clock } = deps;
  const redis = config.redis ? sharedRedis(config.redis, deps) : undefined;
  // Upload URLs are bearer capabilities: sealed with the Encryptor whatever store holds them.
  const bindUploads = (store: UploadSessionStore): void => {
    c.bind<UploadSessionStore>(TOKENS.UploadSessionStore).toDynamicValue(
      (ctx) => new EncryptedUploadSessionStore(deps.uploadSessionStore ?? store, ctx.get<Encryptor>(TOKENS.Encryptor)),
    );
  };
  const localLimiter = new InMemoryRateLimiter(clock);
  c.bind<RateLimiter>(TOKENS.RateLimiter).toConstantValue(
    redis
      ? new FallbackRateLimiter(new RedisRateLimiter(redis.guarded), localLimiter, (reason) => deps.events.rateLimiterFallback({ reason }))
      : localLimiter,
  );
  const redisChecks: ReadinessCheck[] = redis ? [{ ...redisReadinessCheck(redis.client), critical: false, hint: REDIS_HINT }] : [];
  const connect = async (): Promise<void> => {
    if (redis) await waitForRedis(redis.client, REDIS_CONNECT_WAIT_MS).catch(() => undefined);
  };

  if (config.storage.kind === 'memory') {
    c.bind<TokenStore>(TOKENS.TokenStore).toConstantValue(new InMemoryTokenStore(clock));
    c.bind<SessionStore>(TOKENS.SessionStore).toConstantValue(new InMemorySessionStore(clock));
    c.bind<Lock>(TOKENS.Lock).toConstantValue(new InMemoryLock(clock));
    c.bind<Encryptor>(TOKENS.Encryptor).toConstantValue(new LocalKeyEncryptor(config.storage.localKeys));
    c.bind<Cache>(TOKENS.Cache).toConstantValue(redis ? new RedisCache(redis.guarded) : new InMemoryCache(clock));
    c.bind<IdempotencyStore>(TOKENS.IdempotencyStore).toConstantValue(
      redis ? new RedisIdempotencyStore(redis.guarded, clock) : new InMemoryIdempotencyStore(clock),
    );
    c.bind<FeatureFlagStore>(TOKENS.FeatureFlagStore).toConstantValue(
      redis ? new RedisFeatureFlagStore(redis.guarded) : new InMemoryFeatureFlagStore(),
    );
    // Shared by replicas through Redis when REDIS_URL is set; else one per process.
    bindUploads(redis ? new RedisUploadSessionStore(redis.guarded, clock) : new InMemoryUploadSessionStore(clock));
    return { checks: redisChecks, connect };
  }

  if (!redis) throw new Error('STORAGE=aws without Redis settings'); // config always sets them for aws
  const storage = config.storage;
  const { dynamo, kms } = awsSdkClients(storage);
  deps.shutdownHooks.push(async () => {
    dynamo.destroy();
    kms.destroy();
  });
  const tables = storage.dynamo.tables;
  // One executor per table so each DynamoDB metric carries its logical table (`table:tokens`).
  const executor = (table: keyof DynamoTableNames): DynamoExecutor =>
    new DynamoExecutor(dynamo, {
      retries: storage.dynamo.retries,
      observe: (operation, ms, error) => deps.telemetry.recordStoreOp('dynamodb', metricOperation(operation), ms, error, table),
    });
  c.bind<TokenStore>(TOKENS.TokenStore).toConstantValue(new DynamoTokenStore(executor('tokens'), tables.tokens, clock));
  c.bind<SessionStore>(TOKENS.SessionStore).toConstantValue(
    new FallbackSessionStore(
      new RedisSessionStore(redis.guarded, clock, { ttlCapMs: storage.sessionRedisTtlCapMs }),
      new DynamoSessionStore(executor('sessions'), tables.sessions, clock),
      logger,
    ),
  );
  c.bind<IdempotencyStore>(TOKENS.IdempotencyStore).toConstantValue(
    new FallbackIdempotencyStore(
      new RedisIdempotencyStore(redis.guarded, clock),
      new DynamoIdempotencyStore(executor('idempotency'), tables.idempotency, clock),
      logger,
    ),
  );
  c.bind<Lock>(TOKENS.Lock).toConstantValue(
    new FallbackLock(new RedisLock(redis.guarded), new DynamoLock(executor('locks'), tables.locks, clock), logger),
  );
  c.bind<Cache>(TOKENS.Cache).toConstantValue(new FallbackCache(new RedisCache(redis.guarded), logger));
  // Durable: an operator's kill switch must survive a Redis loss. Replicas poll it (FEATURE_FLAGS_REFRESH_SECONDS).
  c.bind<FeatureFlagStore>(TOKENS.FeatureFlagStore).toConstantValue(new DynamoFeatureFlagStore(executor('flags'), tables.flags, clock));
  c.bind<Encryptor>(TOKENS.Encryptor).toConstantValue(kmsEncryptor(kms, clock, storage));
  // DynamoDB only, no Redis in front: an upload in progress survives a Redis loss, and every write is
  // already a conditional put per fragment, so a cache would only add a second copy to keep in step.
  bindUploads(new DynamoUploadSessionStore(executor('uploads'), tables.uploads, clock));
  // OAuth grants and registered clients: DynamoDB is the record of truth (docs/storage.md).
  const oauth = executor('oauth');
  c.bind<GrantStore>(TOKENS.GrantStore).toConstantValue(oauthGrantStore(new DynamoGrantStore(oauth, tables.oauth, clock), redis.guarded, storage, clock, logger));
  c.bind<OAuthClientStore>(TOKENS.OAuthClientStore).toConstantValue(new DynamoOAuthClientStore(oauth, tables.oauth, clock));

  const awsHint = 'AWS_REGION and the AWS credentials (task role, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for emulators)';
  return {
    checks: [
      { ...dynamoReadinessCheck(dynamo, tables), hint: `DYNAMODB_TABLE_*, DYNAMODB_ENDPOINT, ${awsHint}` },
      { ...kmsReadinessCheck(kms, storage.kms.keyId, { cacheMs: storage.kms.readinessCacheMs, clock }), hint: `KMS_KEY_ID, KMS_ENDPOINT, ${awsHint}` },
      // Behind fallbacks: reported, never a reason to take the replica out of service.
      ...redisChecks,
    ],
    connect,
  };
}

/**
 * Grants in DynamoDB with access-token lookups cached in Redis for at most
 * ACCESS_TOKEN_REDIS_TTL_CAP_MS. The Redis adapter spans keys (MULTI), so a Redis cluster gets
 * no cache: every bearer check reads DynamoDB.
 */
function oauthGrantStore(durable: DynamoGrantStore, redis: GuardedRedis, storage: AwsStorageConfig, clock: Clock, logger?: Logger): GrantStore {
  if (!(redis.client instanceof Redis)) {
    logger?.info('OAuth access tokens are not cached in a Redis cluster; bearer checks read DynamoDB');
    return durable;
  }
  return new FallbackGrantStore(new RedisGrantStore(redis, clock, { ttlCapMs: storage.accessTokenRedisTtlCapMs }), durable, logger);
}

/** One Redis client behind the breaker, its commands timed into the store metrics. */
function sharedRedis(config: RedisConfig, deps: StorageDeps): { client: RedisClient; guarded: GuardedRedis } {
  const client = redisClient(config, deps.logger);
  deps.shutdownHooks.push(async () => {
    client.disconnect();
  });
  const guarded = new GuardedRedis(client, {
    consecutiveFailures: config.breakerFailures,
    halfOpenAfterMs: config.breakerHalfOpenMs,
    observe: (operation, ms, error) => deps.telemetry.recordStoreOp('redis', metricOperation(operation), ms, error),
  });
  return { client, guarded };
}

function redisClient(config: RedisConfig, logger?: Logger): RedisClient {
  // ioredis reports every reconnect attempt; log the first error of an outage and the recovery only.
  let down = false;
  const client = createRedisClient({
    ...(config.clusterNodes.length > 0 ? { clusterNodes: config.clusterNodes } : { url: config.url }),
    tls: config.tls,
    ...(config.username ? { username: config.username } : {}),
    ...(config.password ? { password: config.password } : {}),
    keyPrefix: config.keyPrefix,
    commandTimeoutMs: config.commandTimeoutMs,
    onError: (error) => {
      if (down) return;
      down = true;
      logger?.warn('redis connection error; serving from fallbacks', { err: describeFailure(error) });
    },
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger?.info('redis connected');
  });
  return client;
}

/** One attempt per call each: retries live in DynamoExecutor / KmsEncryptor. */
function awsSdkClients(storage: AwsStorageConfig): { dynamo: DynamoDBClient; kms: KMSClient } {
  const aws = { region: storage.region, ...(storage.credentials ? { credentials: storage.credentials } : {}) };
  return {
    dynamo: createDynamoClient({
      ...aws,
      requestTimeoutMs: storage.dynamo.requestTimeoutMs,
      ...(storage.dynamo.endpoint ? { endpoint: storage.dynamo.endpoint } : {}),
    }),
    kms: createKmsClient({ ...aws, ...(storage.kms.endpoint ? { endpoint: storage.kms.endpoint } : {}) }),
  };
}

function kmsEncryptor(kms: KMSClient, clock: Clock, storage: AwsStorageConfig): KmsEncryptor {
  return new KmsEncryptor(kms, clock, {
    keyId: storage.kms.keyId,
    dataKeyMaxAgeMs: storage.kms.dataKeyMaxAgeMs,
    dataKeyMaxUses: storage.kms.dataKeyMaxUses,
    dataKeyCacheEntries: storage.kms.dataKeyCacheEntries,
  });
}

function redactorFor(config: Config, includeStacks: boolean): Redactor {
  return new Redactor({
    hashSalt: config.log.hashSalt,
    tenantMode: config.log.tenantMode,
    userIdMode: config.log.userIdMode,
    allow: config.log.redactionAllow,
    includeStacks,
  });
}

function auditLogFor(config: Config, redactor: Redactor, stdout: NodeJS.WritableStream = process.stdout): WinstonAuditLog {
  return new WinstonAuditLog({
    redactor,
    destination:
      config.audit.destination === 'file'
        ? { kind: 'file', directory: config.audit.directory, retentionDays: config.audit.retentionDays }
        : { kind: 'stdout', stream: stdout },
  });
}

/** Operator commands audit to the configured destination; "stdout" means stderr, keeping their output parseable. */
function operatorAuditLog(config: Config): WinstonAuditLog {
  return auditLogFor(config, redactorFor(config, false), process.stderr);
}

/** `token get` → `token_get`: metric tag values without spaces. */
function metricOperation(operation: string): string {
  return operation.trim().replace(/\s+/g, '_');
}

/**
 * What the admin `flags` command needs: the flag store every replica reads (DynamoDB with
 * STORAGE=aws, else Redis when configured), or nothing when flags live inside each process.
 */
export async function buildAdminServices(config: Config): Promise<{ flags: FeatureFlagStore | undefined; audit: AuditLog; close(): Promise<void> }> {
  const audit = operatorAuditLog(config);
  if (config.storage.kind === 'aws') {
    const { dynamo, kms } = awsSdkClients(config.storage);
    kms.destroy();
    const executor = new DynamoExecutor(dynamo, { retries: config.storage.dynamo.retries });
    return {
      flags: new DynamoFeatureFlagStore(executor, config.storage.dynamo.tables.flags, new SystemClock()),
      audit,
      close: async () => dynamo.destroy(),
    };
  }
  if (config.redis === undefined) return { flags: undefined, audit, close: async () => undefined };
  const client = redisClient(config.redis);
  try {
    await waitForRedis(client, 5_000);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return {
    flags: new RedisFeatureFlagStore(new GuardedRedis(client)),
    audit,
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/**
 * OAuth mode: our authorization server in front of Entra (or the embedded sandbox IdP). Grants and
 * OAuth clients come from the storage bindings with STORAGE=aws (DynamoDB, shared by replicas) and
 * live in memory otherwise (single replica); the Microsoft token custody, sessions, lock, encryptor
 * and audit log come from their own bindings.
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

/** What the storage admin commands (`npm run admin -- create-tables | reencrypt`) work on. */
export interface StorageAdmin {
  tables: DynamoTableNames;
  createTables(): Promise<CreatedTable[]>;
  reencrypt(input: ReencryptTokensInput): Promise<ReencryptTokensResult>;
  close(): Promise<void>;
}

/**
 * The DynamoDB and KMS side of STORAGE=aws for operator commands: no Redis (tokens live in
 * DynamoDB only) and no HTTP. Null in memory mode, where the stores live inside each server.
 */
export function buildStorageAdmin(config: Config): StorageAdmin | null {
  if (config.storage.kind !== 'aws') return null;
  const storage = config.storage;
  const { dynamo, kms } = awsSdkClients(storage);
  const clock = new SystemClock();
  const tokens = new DynamoTokenStore(new DynamoExecutor(dynamo, { retries: storage.dynamo.retries }), storage.dynamo.tables.tokens, clock);
  return {
    tables: storage.dynamo.tables,
    createTables: () => createTables(dynamo, storage.dynamo.tables),
    reencrypt: (input) => new ReencryptTokens(tokens, kmsEncryptor(kms, clock, storage)).execute(input),
    close: async () => {
      dynamo.destroy();
      kms.destroy();
    },
  };
}

/**
 * Operator revocation (`npm run admin -- revoke`) over the stores the replicas share, all durable in
 * DynamoDB: tokens, sessions and grants (the last two also drop their Redis copies). Null in memory
 * mode, where those stores live inside each server process. Redis being unreachable does not stop
 * a revocation: its copies expire within their caps (SESSION_REDIS_TTL_CAP_MS,
 * ACCESS_TOKEN_REDIS_TTL_CAP_MS). Replicas' in-process Graph token copies cannot be reached from
 * here; they become unusable because every bearer token of the user is revoked.
 */
export async function buildRevocation(config: Config): Promise<{ revoke: RevokeUserAccess; close(): Promise<void> } | null> {
  if (config.storage.kind !== 'aws' || config.redis === undefined) return null;
  const storage = config.storage;
  const clock = new SystemClock();
  const { dynamo, kms } = awsSdkClients(storage);
  kms.destroy();
  const executor = new DynamoExecutor(dynamo, { retries: storage.dynamo.retries });
  const client = redisClient(config.redis);
  await waitForRedis(client, REDIS_CONNECT_WAIT_MS).catch(() => undefined);
  const redis = new GuardedRedis(client);
  const sessions = new FallbackSessionStore(
    new RedisSessionStore(redis, clock, { ttlCapMs: storage.sessionRedisTtlCapMs }),
    new DynamoSessionStore(executor, storage.dynamo.tables.sessions, clock),
  );
  const audit = operatorAuditLog(config);
  const revoke = new RevokeUserAccess(
    oauthGrantStore(new DynamoGrantStore(executor, storage.dynamo.tables.oauth, clock), redis, storage, clock),
    sessions,
    new DynamoTokenStore(executor, storage.dynamo.tables.tokens, clock),
    { evict: () => undefined },
    audit,
  );
  return {
    revoke,
    close: async () => {
      await client.quit().catch(() => client.disconnect());
      dynamo.destroy();
    },
  };
}

/** Resumable uploads to OneDrive and to draft attachments (state in the UploadSessionStore) and streamed downloads behind short-lived links. */
function bindLargeFiles(c: Container, config: Config, runtime: Runtime): void {
  c.bind<UploadSessionGateway>(TOKENS.UploadSessionGateway).toDynamicValue(
    (ctx) => new HttpUploadSessionGateway(ctx.get(TOKENS.GraphHttpClient), { fragmentTimeoutMs: config.uploads.fragmentTimeoutMs, clock: ctx.get(TOKENS.Clock) }),
  );
  c.bind<FileStreamGateway>(TOKENS.FileStreamGateway).toDynamicValue((ctx) => new HttpFileStreamGateway(ctx.get(TOKENS.GraphHttpClient)));
  c.bind<DownloadLinks>(TOKENS.DownloadLinks).toDynamicValue(
    (ctx) =>
      new HmacDownloadLinks({
        secret: config.downloads.linkSecret,
        ttlMs: config.downloads.linkTtlSeconds * 1000,
        clock: ctx.get(TOKENS.Clock),
        ...((config.http.publicBaseUrl ?? runtime.publicBaseUrl) ? { publicBaseUrl: config.http.publicBaseUrl ?? runtime.publicBaseUrl } : {}),
      }),
  );
  c.bind<LargeFileUseCases>(TOKENS.LargeFileUseCases).toDynamicValue((ctx) => {
    const gateway = ctx.get<UploadSessionGateway>(TOKENS.UploadSessionGateway);
    const store = ctx.get<UploadSessionStore>(TOKENS.UploadSessionStore);
    const clock = ctx.get<Clock>(TOKENS.Clock);
    return {
      startUpload: new StartUpload(gateway, store, clock, { maxFileBytes: config.uploads.maxFileBytes }),
      startAttachmentUpload: new StartAttachmentUpload(gateway, ctx.get(TOKENS.MailboxGateway), store, clock, { maxFileBytes: config.uploads.maxFileBytes }),
      appendUploadBytes: new AppendUploadBytes(gateway, store, clock, { fragmentBytes: config.uploads.fragmentBytes }),
      getUploadStatus: new GetUploadStatus(store, clock),
      cancelUpload: new CancelUpload(gateway, store, clock),
      links: ctx.get(TOKENS.DownloadLinks),
    };
  });
}

function largeFileRouteDeps(ctx: ResolutionContext, config: Config): LargeFileRoutesDeps {
  const large = ctx.get<LargeFileUseCases>(TOKENS.LargeFileUseCases);
  return {
    authenticator: ctx.get(TOKENS.Authenticator),
    originPolicy: { allowedHosts: config.http.allowedHosts, allowedOrigins: config.http.allowedOrigins, allowLoopback: config.http.allowLoopback },
    appendUploadBytes: large.appendUploadBytes,
    getUploadStatus: large.getUploadStatus,
    cancelUpload: large.cancelUpload,
    streamFile: new StreamFile(ctx.get(TOKENS.FilesGateway), ctx.get(TOKENS.FileStreamGateway)),
    streamAttachment: new StreamAttachment(ctx.get(TOKENS.MailboxGateway), ctx.get(TOKENS.FileStreamGateway)),
    links: large.links,
    logger: ctx.get(TOKENS.Logger),
  };
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
