import { isAscii } from 'node:buffer';
import { Hono } from 'hono';
import type { Logger } from '../../ports/logger.js';
import { bearerToken, type Authenticator } from './authenticator.js';
import { correlationMiddleware } from '../telemetry/correlation.js';
import { tracingMiddleware } from '../telemetry/hono-tracing-middleware.js';
import type { HeapReclaimer } from './heap-reclaimer.js';
import { handleMcpRequest, type McpEndpointDeps } from './mcp-endpoint.js';
import { originGuard, type OriginPolicy } from './origin-guard.js';
import { isDomainError } from '../../domain/errors.js';
import { parseRequestProfile, PROFILE_HEADER, PROFILE_QUERY } from './request-profile.js';
import type { RequestProfile } from './tools/tool-definition.js';
import { probe, type ReadinessCheck } from './readiness.js';
import { readBodyBytes } from './request-body.js';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const MCP_PATH = '/mcp';
export const METRICS_PATH = '/metrics';

export interface HttpAppDeps {
  authenticator: Authenticator;
  mcp: McpEndpointDeps;
  originPolicy: OriginPolicy;
  readinessChecks: readonly ReadinessCheck[];
  /** Largest request body accepted on `/mcp` (413 with a JSON-RPC error naming the upload tools). */
  bodyLimitBytes: number;
  /** Told the size of every answered `/mcp` body, to collect the garbage big ones leave. */
  heapReclaimer?: HeapReclaimer;
  logger: Logger;
  /** False while draining on shutdown: readiness fails so the load balancer stops sending. */
  isAccepting?: () => boolean;
  /** Prometheus text for `GET /metrics` (METRICS_PROMETHEUS_ENABLED, local use). */
  metricsHandler?: (request: Request) => Promise<Response>;
  /** Extra routes mounted at the root (the OAuth endpoints and well-known metadata in oauth mode). */
  routes?: Hono;
  /** Routes mounted on this app after `/mcp` (binary uploads, download links). */
  mounts?: ReadonlyArray<(app: Hono<HttpEnv>) => void>;
}

export type HttpEnv = { Variables: { correlationId: string } };
type Env = HttpEnv;

export function createHttpApp(deps: HttpAppDeps): Hono<Env> {
  const app = new Hono<Env>();

  // Server span (continuing the caller's traceparent), then the correlation id and log context.
  app.use('*', tracingMiddleware(), correlationMiddleware());

  // Probes are exempt from Host checks: the load balancer calls them by the task's IP.
  app.get(HEALTH_PATH, (c) => c.json({ status: 'ok' }));
  const metricsHandler = deps.metricsHandler;
  if (metricsHandler) app.get(METRICS_PATH, (c) => metricsHandler(c.req.raw));
  app.get(READY_PATH, async (c) => {
    if (deps.isAccepting && !deps.isAccepting()) return c.json({ ready: false, checks: { shutdown: 'draining' } }, 503);
    const report = await probe(deps.readinessChecks, 2_000);
    return c.json(report, report.ready ? 200 : 503);
  });

  if (deps.routes) app.route('/', deps.routes);

  app.use(MCP_PATH, originGuard(deps.originPolicy));
  app.on(['GET', 'DELETE'], MCP_PATH, (c) =>
    // Stateless server: no standalone SSE stream and no session to delete.
    c.json({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Method not allowed' } }, 405, {
      Allow: 'POST',
    }),
  );

  app.post(MCP_PATH, async (c) => {
    const caller = await deps.authenticator.authenticate(bearerToken(c.req.header('authorization')));
    if (!caller) {
      return c.json(
        { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Authentication required' } },
        401,
        { 'WWW-Authenticate': deps.authenticator.challenge() },
      );
    }
    let profile: RequestProfile | undefined;
    try {
      profile = parseRequestProfile(c.req.header(PROFILE_HEADER) ?? c.req.query(PROFILE_QUERY));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const data = { category: error.category, code: error.code, correlationId: c.get('correlationId') };
      return c.json({ jsonrpc: '2.0', id: null, error: { code: -32600, message: error.message, data } }, 400);
    }
    // Read and parsed here, in one piece, rather than by the SDK transport (web stream, streaming
    // text decoder, string concatenation): chunk uploads make these bodies megabytes long.
    let body: Buffer | null;
    try {
      body = await readBodyBytes(c.req.raw, c.env, deps.bodyLimitBytes);
    } catch {
      // The client went away mid-body: nobody reads this answer.
      return c.json({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'The request body ended early.' } }, 400);
    }
    if (body === null) {
      const text = `Request body over ${deps.bodyLimitBytes} bytes. Send large files with files_upload_start (mail attachments: mail_attachment_upload_start), then files_upload_chunk calls or a binary PUT to /uploads/{uploadId}.`;
      const data = { category: 'payload_too_large', code: 'http.bodyTooLarge', correlationId: c.get('correlationId') };
      return c.json({ jsonrpc: '2.0', id: null, error: { code: -32600, message: text, data } }, 413);
    }
    let message: unknown;
    try {
      // Base64 chunks make bodies ASCII: latin1 is then the same text, decoded without UTF-8 checks.
      message = JSON.parse(body.toString(isAscii(body) ? 'latin1' : 'utf8'));
    } catch {
      return c.json({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: Invalid JSON' } }, 400);
    }
    try {
      return await handleMcpRequest(deps.mcp, c.req.raw, message, caller, c.get('correlationId'), profile);
    } finally {
      deps.heapReclaimer?.finished(body.length);
    }
  });

  for (const mount of deps.mounts ?? []) mount(app);

  app.notFound((c) => c.json({ error: { category: 'not_found', code: 'http.notFound', message: 'Not found' } }, 404));
  app.onError((error, c) => {
    const correlationId = c.get('correlationId');
    deps.logger.error('unhandled HTTP error', { correlationId, path: c.req.path, err: error });
    return c.json(
      { error: { category: 'internal', code: 'internal.unexpected', message: 'Internal error', correlationId } },
      500,
    );
  });
  return app;
}
