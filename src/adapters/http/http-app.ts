import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../../ports/logger.js';
import { bearerToken, type Authenticator } from './authenticator.js';
import { correlationMiddleware } from '../telemetry/correlation.js';
import { tracingMiddleware } from '../telemetry/hono-tracing-middleware.js';
import { handleMcpRequest, type McpEndpointDeps } from './mcp-endpoint.js';
import { originGuard, type OriginPolicy } from './origin-guard.js';
import { isDomainError } from '../../domain/errors.js';
import { parseRequestProfile, PROFILE_HEADER, PROFILE_QUERY } from './request-profile.js';
import type { RequestProfile } from './tools/tool-definition.js';
import { probe, type ReadinessCheck } from './readiness.js';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const MCP_PATH = '/mcp';
export const METRICS_PATH = '/metrics';

export interface HttpAppDeps {
  authenticator: Authenticator;
  mcp: McpEndpointDeps;
  originPolicy: OriginPolicy;
  readinessChecks: readonly ReadinessCheck[];
  /** Largest request body accepted on `/mcp`. */
  bodyLimitBytes: number;
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
  app.use(
    MCP_PATH,
    bodyLimit({
      maxSize: deps.bodyLimitBytes,
      onError: (c) =>
        c.json(
          {
            jsonrpc: '2.0',
            id: null,
            error: {
              code: -32600,
              message: `Request body over ${deps.bodyLimitBytes} bytes. Send large files with files_upload_start (mail attachments: mail_attachment_upload_start), then files_upload_chunk calls or a binary PUT to /uploads/{uploadId}.`,
              data: { category: 'payload_too_large', code: 'http.bodyTooLarge', correlationId: c.get('correlationId') },
            },
          },
          413,
        ),
    }),
  );

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
    return handleMcpRequest(deps.mcp, c.req.raw, caller, c.get('correlationId'), profile);
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
