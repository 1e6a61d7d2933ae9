import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import {
  createHmacTokenVerifier,
  DEFAULT_SANDBOX_TOKEN_SECRET,
  mintSandboxAccessToken,
} from './access-token.js';
import type { AccessTokenVerifier } from './access-token.js';
import type { SandboxContext, SandboxEnv } from './context.js';
import { applyLatency, FaultController } from './faults.js';
import type { FaultConfigInput, FaultDecision, ThrottleSubject } from './faults.js';
import { GraphError, graphErrorBody } from './graph-errors.js';
import { pathTemplate, RequestStats } from './request-stats.js';
import { calendarRoutes } from './routes/calendar.js';
import { calendarActionsRoutes } from './routes/calendar-actions.js';
import { downloadRoutes, driveRoutes } from './routes/drive.js';
import { driveManageRoutes } from './routes/drive-manage.js';
import { contactsRoutes } from './routes/contacts.js';
import { todoRoutes } from './routes/todo.js';
import { teamsRoutes } from './routes/teams.js';
import { mailRoutes } from './routes/mail.js';
import { mailActionsRoutes } from './routes/mail-actions.js';
import { meRoutes } from './routes/me.js';
import type { RouteDeps } from './routes/route-deps.js';
import { sandboxControlRoutes } from './routes/sandbox-control.js';
import { searchRoutes } from './routes/search.js';
import { createUploadSessionRoutes, uploadUrlRoutes } from './routes/upload-sessions.js';
import { attachmentUploadUrlRoutes, createAttachmentUploadSessionRoutes } from './routes/attachment-upload-sessions.js';
import { SandboxUploadSessions } from './upload-session-state.js';
import type { SandboxTenant, SandboxUser } from './sandbox-tenant.js';
import { createSeededTenant } from './seed.js';

export interface SandboxAppOptions {
  /** HMAC secret of sandbox access tokens; default DEFAULT_SANDBOX_TOKEN_SECRET. Ignored when `verifyAccessToken` is given. */
  tokenSecret?: string;
  /** Replaces the HMAC verifier (e.g. to accept tokens of the sandbox identity provider). */
  verifyAccessToken?: AccessTokenVerifier;
  faults?: FaultController;
  stats?: RequestStats;
  /** Clock for token expiry, sent mail and download URLs; default Date.now. */
  now?: () => number;
  /** Lifetime of pre-authenticated download URLs; default 5 minutes. */
  downloadUrlTtlMs?: number;
  /** Upload sessions (default: a fresh registry whose sessions live 15 minutes past their last fragment). */
  uploadSessions?: SandboxUploadSessions;
}

const WEB_BASE = 'https://contoso.sandbox.example';
const CONTROL_PATHS = /^\/_sandbox\/(faults|stats)/;

function errorResponse(c: SandboxContext, error: GraphError): Response {
  const body = graphErrorBody(
    error.code,
    error.message,
    c.get('requestId'),
    c.get('clientRequestId'),
    new Date(),
  );
  return c.json(body, error.status as 400, error.headers);
}

function throttled(decision: FaultDecision): GraphError {
  if (decision.kind === 'status429') {
    return new GraphError(
      429,
      'TooManyRequests',
      'Too many requests. Please retry after the time in the Retry-After header.',
      { 'Retry-After': String(decision.retryAfterSeconds ?? 1) },
    );
  }
  const headers: Record<string, string> =
    decision.kind === 'status503' && decision.retryAfterSeconds !== undefined
      ? { 'Retry-After': String(decision.retryAfterSeconds) }
      : {};
  return new GraphError(
    503,
    'ServiceUnavailable',
    'The service is temporarily unavailable. Please retry later.',
    headers,
  );
}

function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
}

/** Destroys the TCP connection (RST when supported), so the client sees a reset, not an HTTP response. */
function resetConnection(c: SandboxContext): Response {
  const incoming = c.env?.incoming;
  if (!incoming) throw new Error('connection resets need the Node server (use startSandbox)');
  c.env.outgoing?.on('error', () => undefined);
  const socket = incoming.socket;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
  return new Response(null, { status: 500 });
}

/** The simulated Microsoft Graph (`/v1.0`) plus the sandbox's own download and control endpoints. */
export function createSandboxGraphApp(
  tenant: SandboxTenant,
  options: SandboxAppOptions = {},
): Hono<SandboxEnv> {
  const now = options.now ?? Date.now;
  const secret = options.tokenSecret ?? DEFAULT_SANDBOX_TOKEN_SECRET;
  const verify = options.verifyAccessToken ?? createHmacTokenVerifier(secret);
  const faults = options.faults ?? new FaultController(tenant.seed, now);
  const stats = options.stats ?? new RequestStats();
  const deps: RouteDeps = {
    tenant,
    now,
    webBase: WEB_BASE,
    downloadSecret: `download:${secret}`,
    downloadUrlTtlMs: options.downloadUrlTtlMs ?? 5 * 60_000,
  };

  const app = new Hono<SandboxEnv>();
  /** Throttle windows are keyed by the caller; faults run before authentication, so read the token here. */
  const subjectOf = (authorization: string | undefined): ThrottleSubject | undefined => {
    const token = bearerToken(authorization);
    const result = token === undefined ? undefined : verify(token, now());
    return result?.ok === true ? { tenantId: result.claims.tenantId, userId: result.claims.userId } : undefined;
  };

  app.use('*', async (c, next) => {
    const requestId = randomUUID();
    const clientRequestId = c.req.header('client-request-id');
    c.set('requestId', requestId);
    c.set('clientRequestId', clientRequestId);
    await next();
    c.res.headers.set('request-id', requestId);
    if (clientRequestId !== undefined) c.res.headers.set('client-request-id', clientRequestId);
  });

  app.use('*', async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (CONTROL_PATHS.test(path)) return next();
    stats.record(c.req.method, pathTemplate(path), Date.now());
    stats.begin();
    try {
      const decision = faults.decide(c.req.method, path, () => subjectOf(c.req.header('authorization')));
      await applyLatency(decision);
      if (decision.kind === 'none') return await next();
      if (decision.phase === 'before') {
        if (decision.kind === 'reset') return resetConnection(c);
        throw throttled(decision);
      }
      await next();
      c.res = decision.kind === 'reset' ? resetConnection(c) : errorResponse(c, throttled(decision));
    } finally {
      stats.end();
    }
  });

  app.use('/v1.0/*', async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    const unauthenticated = (message: string): GraphError =>
      new GraphError(401, 'InvalidAuthenticationToken', message, {
        'WWW-Authenticate':
          'Bearer realm="", authorization_uri="https://login.sandbox.example/common/oauth2/authorize", error="invalid_token"',
      });
    if (token === undefined) throw unauthenticated('Access token is empty.');
    const result = verify(token, now());
    if (!result.ok)
      throw unauthenticated(
        result.reason === 'expired'
          ? 'Lifetime validation failed, the token is expired.'
          : 'Access token validation failure. Invalid signature or malformed token.',
      );
    const user: SandboxUser | undefined = tenant.user(result.claims.tenantId, result.claims.userId);
    if (!user)
      throw unauthenticated(
        'Access token validation failure. The user or tenant does not exist in this sandbox.',
      );
    c.set('claims', result.claims);
    c.set('user', user);
    await next();
  });

  const uploads = options.uploadSessions ?? new SandboxUploadSessions(now, 15 * 60_000);
  app.route('/v1.0', meRoutes());
  app.route('/v1.0', mailRoutes(deps));
  app.route('/v1.0', createAttachmentUploadSessionRoutes(deps, uploads));
  app.route('/v1.0', mailActionsRoutes(deps));
  app.route('/v1.0', calendarRoutes(deps));
  app.route('/v1.0', calendarActionsRoutes(deps));
  // Before driveRoutes: its catch-all GET /me/drive/* would take search(q=...).
  const driveManage = driveManageRoutes(deps);
  app.route('/v1.0', createUploadSessionRoutes(deps, uploads));
  app.route('/v1.0', driveManage.api);
  app.route('/v1.0', driveRoutes(deps));
  app.route('/v1.0', searchRoutes(deps));
  app.route('/v1.0', contactsRoutes(deps));
  app.route('/v1.0', todoRoutes(deps));
  app.route('/v1.0', teamsRoutes(deps));
  app.route('/', downloadRoutes(deps));
  app.route('/', uploadUrlRoutes(deps, uploads));
  app.route('/', attachmentUploadUrlRoutes(deps, uploads));
  app.route('/', driveManage.monitor);
  app.route('/', sandboxControlRoutes(faults, stats));

  app.notFound((c) => {
    const segment = new URL(c.req.url).pathname.split('/').filter(Boolean).pop() ?? '';
    return errorResponse(
      c,
      new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
    );
  });
  app.onError((error, c) => {
    if (error instanceof GraphError) return errorResponse(c, error);
    return errorResponse(
      c,
      new GraphError(500, 'generalException', 'An unexpected error occurred in the sandbox.'),
    );
  });
  return app;
}

export interface StartSandboxOptions extends Omit<SandboxAppOptions, 'faults'> {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  seed?: number;
  /** ISO instant the seeded dates are relative to (default: the fixed DEFAULT_SANDBOX_BASE_DATE). */
  baseDate?: string | Date;
  /** Faults active from the first request. */
  faults?: FaultConfigInput;
  /** Use an existing world instead of seeding one. */
  tenant?: SandboxTenant;
}

export interface RunningSandbox {
  /** Origin, e.g. http://127.0.0.1:41234 ; Graph lives under `${url}/v1.0`. */
  url: string;
  tenant: SandboxTenant;
  faults: FaultController;
  stats: RequestStats;
  /** Open upload sessions (tests expire them). */
  uploadSessions: SandboxUploadSessions;
  /** Mints a token for a user with the given scopes (default: every scope the sandbox checks), valid for an hour. */
  mintToken(user: Pick<SandboxUser, 'id' | 'tenantId'>, scopes?: string[], ttlMs?: number): string;
  close(): Promise<void>;
}

export const ALL_SANDBOX_SCOPES: readonly string[] = [
  'User.Read',
  'Mail.ReadWrite',
  'Mail.Send',
  'Calendars.ReadWrite',
  'Files.ReadWrite.All',
  'Sites.Read.All',
  'Chat.ReadWrite',
  'ChannelMessage.Read.All',
  'ChannelMessage.Send',
  'Team.ReadBasic.All',
  'Channel.ReadBasic.All',
];

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const tenant =
    options.tenant ??
    createSeededTenant({
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.baseDate === undefined ? {} : { baseDate: options.baseDate }),
    });
  const faults = new FaultController(tenant.seed, options.now ?? Date.now);
  if (options.faults) faults.set(options.faults);
  const stats = options.stats ?? new RequestStats();
  const uploadSessions = options.uploadSessions ?? new SandboxUploadSessions(options.now ?? Date.now, 15 * 60_000);
  const app = createSandboxGraphApp(tenant, { ...options, faults, stats, uploadSessions });
  const host = options.host ?? '127.0.0.1';
  const secret = options.tokenSecret ?? DEFAULT_SANDBOX_TOKEN_SECRET;
  const now = options.now ?? Date.now;
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, (info: AddressInfo) =>
      resolve({ server: s as Server, port: info.port }),
    );
    s.once('error', reject);
  });
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostForUrl}:${port}`,
    tenant,
    faults,
    stats,
    uploadSessions,
    mintToken: (user, scopes = [...ALL_SANDBOX_SCOPES], ttlMs = 3_600_000) =>
      mintSandboxAccessToken(secret, {
        tenantId: user.tenantId,
        userId: user.id,
        scopes,
        expiresAt: now() + ttlMs,
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
