import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Container } from 'inversify';
import type { Hono } from 'hono';
import { mintDevToken } from '../adapters/http/dev-token-authenticator.js';
import { MCP_PATH } from '../adapters/http/http-app.js';
import { startSandbox, type RunningSandbox } from '../adapters/sandbox/sandbox-server.js';
import { startSandboxIdentity, type RunningSandboxIdentity } from '../adapters/sandbox/identity/start-sandbox-identity.js';
import type { ResilienceEvents } from '../adapters/resilience/resilience-events.js';
import type { Logger } from '../ports/logger.js';
import type { UploadSessionStore } from '../ports/upload-session-store.js';
import type { Config } from './config.js';
import { runChecks } from '../adapters/http/readiness.js';
import { buildContainer, type StorageLifecycle } from './container.js';
import { startTelemetry, type TelemetrySdkOverrides } from './telemetry-sdk.js';
import { TOKENS } from './tokens.js';

export interface RunningGateway {
  /** Origin, e.g. http://127.0.0.1:3000 */
  url: string;
  mcpUrl: string;
  container: Container;
  /** The in-process sandbox tenant (sandbox mode only). */
  sandbox?: RunningSandbox;
  /** The embedded sandbox sign-in (sandbox mode with AUTH_MODE=oauth). */
  identity?: RunningSandboxIdentity;
  /** A `/mcp` bearer token for a sandbox user (sandbox mode only). */
  devToken(user: { tenantId: string; objectId: string }): string;
  /** Graceful stop: refuse new work, let in-flight requests finish until the drain deadline, then close. */
  close(): Promise<void>;
}

/** A critical dependency failed at start-up; the message is one line naming it and what to check. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** Start-up checks get longer than `/readyz` probes: cold connections, TLS, credential lookup. */
const STARTUP_CHECK_TIMEOUT_MS = 10_000;

export interface StartOptions {
  logger?: Logger;
  /** Test seam: in-memory span exporter / metric readers instead of OTLP. */
  telemetry?: TelemetrySdkOverrides;
  resilienceEvents?: ResilienceEvents;
  /** Share upload state with other gateways in this process (tests of replicas); default one store each. */
  uploadSessionStore?: UploadSessionStore;
}

/** Starts the gateway (and in sandbox mode the sandbox tenant first) on the configured address. */
export async function startGateway(config: Config, options: StartOptions = {}): Promise<RunningGateway> {
  const sandbox =
    config.mode === 'sandbox' && config.sandbox.embedded
      ? await startSandbox({ port: config.sandbox.port, seed: config.sandbox.seed, tokenSecret: config.sandbox.secret })
      : undefined;
  // Before the container: metric instruments bind to the meter provider registered here.
  const telemetry = await startTelemetry(config.telemetry, options.telemetry);
  let accepting = true;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  // Listen first: in oauth mode our own address is the issuer and the IdP's registered callback.
  // Until the container and its start-up hooks are ready, every request gets 503.
  const ready: { app?: Hono } = {};
  const { server, port } = await listen(
    async (request, env) => (ready.app === undefined ? new Response('starting', { status: 503 }) : ready.app.fetch(request, env)),
    config.http.host,
    config.http.port,
  );
  // Counted at the socket level, until the response is fully written: the Response object
  // exists before node-server has flushed it, and closing connections then would cut it off.
  server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      if (--inFlight === 0) drained?.();
    });
  });
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const publicBaseUrl = config.http.publicBaseUrl ?? url;
  let identity: RunningSandboxIdentity | undefined;
  let container: Container;
  try {
    identity =
      config.mode === 'sandbox' && config.auth.mode === 'oauth'
        ? await startSandboxIdentity({
            gatewayCallbackUrl: `${publicBaseUrl}/oauth/callback`,
            graphTokenSecret: config.sandbox.secret,
            graphScopes: config.auth.scopes,
            port: config.sandbox.idpPort,
          })
        : undefined;
    container = buildContainer(config, {
      graphBaseUrl: sandbox ? `${sandbox.url}/v1.0` : config.graph.baseUrl,
      isAccepting: () => accepting,
      publicBaseUrl,
      ...(identity ? { entra: identity.entra } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(telemetry.metricsHandler ? { metricsHandler: telemetry.metricsHandler } : {}),
      ...(options.resilienceEvents ? { resilienceEvents: options.resilienceEvents } : {}),
      ...(options.uploadSessionStore ? { uploadSessionStore: options.uploadSessionStore } : {}),
    });
    const app = container.get<Hono>(TOKENS.HttpApp);
    try {
      await verifyStorage(container.get<StorageLifecycle>(TOKENS.StorageLifecycle), container.get<Logger>(TOKENS.Logger));
    } catch (error) {
      for (const hook of container.get<Array<() => Promise<void>>>(TOKENS.ShutdownHooks)) await hook().catch(() => undefined);
      throw error;
    }
    for (const hook of container.get<Array<() => Promise<void>>>(TOKENS.StartupHooks)) await hook();
    ready.app = app;
  } catch (error) {
    server.close();
    await identity?.close();
    await sandbox?.close();
    await telemetry.shutdown();
    throw error;
  }

  return {
    url,
    mcpUrl: `${url}${MCP_PATH}`,
    container,
    ...(sandbox ? { sandbox } : {}),
    ...(identity ? { identity } : {}),
    devToken: (user) => {
      if (config.mode !== 'sandbox' || config.auth.mode !== 'dev-token') throw new Error('dev tokens exist only in sandbox mode with AUTH_MODE=dev-token');
      return mintDevToken(config.sandbox.secret, user);
    },
    close: async () => {
      accepting = false;
      server.close();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, config.http.shutdownDrainSeconds * 1000).unref();
        });
      }
      server.closeAllConnections();
      for (const hook of container.get<Array<() => Promise<void>>>(TOKENS.ShutdownHooks)) await hook().catch(() => undefined);
      await sandbox?.close();
      await identity?.close();
      await telemetry.shutdown();
    },
  };
}

/**
 * Checks each storage dependency once before serving. A critical one failing (DynamoDB table
 * missing, KMS key unreachable) stops the start with one line; Redis failing only degrades.
 */
async function verifyStorage(storage: StorageLifecycle, logger: Logger): Promise<void> {
  await storage.connect();
  const failed = (await runChecks(storage.checks, STARTUP_CHECK_TIMEOUT_MS)).filter((o) => o.failure !== undefined);
  for (const { check, failure } of failed.filter((o) => o.check.critical === false)) {
    logger.warn(`starting degraded: ${check.name} unavailable`, { dependency: check.name, reason: failure, check: check.hint });
  }
  const critical = failed.filter((o) => o.check.critical !== false);
  if (critical.length > 0) {
    const parts = critical.map(({ check, failure }) => `${check.name} unavailable (${failure})${check.hint ? `; check ${check.hint}` : ''}`);
    throw new StartupError(`Start-up failed: ${parts.join(' | ')}`);
  }
}

function listen(
  fetch: (request: Request, env: unknown) => Promise<Response>,
  hostname: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) => resolve({ server: server as Server, port: info.port }));
    server.once('error', reject);
  });
}
