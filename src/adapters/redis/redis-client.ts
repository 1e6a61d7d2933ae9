import { Cluster, Redis } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** `redis://` or `rediss://` URL of a single node (ignored when `clusterNodes` is set). */
  url?: string;
  /** `host:port` seed nodes; when present the client runs in cluster mode. */
  clusterNodes?: string[];
  tls?: boolean;
  username?: string;
  password?: string;
  /** Prepended to every key, e.g. `m365:prod:`; keeps environments and test runs apart. */
  keyPrefix: string;
  /** A command that gets no answer in this time fails (and counts against the breaker). */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Connection-level errors; commands fail on their own, so this is for logging only. */
  onError?: (error: Error) => void;
}

/**
 * A client that fails fast instead of queueing: no offline queue, at most one retry per command,
 * a command timeout. Reconnection continues in the background so traffic returns with Redis.
 */
export function createRedisClient(options: RedisClientOptions): RedisClient {
  const common: RedisOptions = {
    keyPrefix: options.keyPrefix,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt: number): number => Math.min(attempt * 100, 2_000),
    ...(options.username === undefined ? {} : { username: options.username }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.tls === true ? { tls: {} } : {}),
  };
  const client: RedisClient =
    options.clusterNodes !== undefined && options.clusterNodes.length > 0
      ? new Cluster(options.clusterNodes.map(parseNode), clusterOptions(common))
      : new Redis(options.url ?? 'redis://127.0.0.1:6379', common);
  client.on('error', (error: Error) => options.onError?.(error));
  return client;
}

function clusterOptions(common: RedisOptions): ClusterOptions {
  return {
    redisOptions: common,
    keyPrefix: common.keyPrefix ?? '',
    enableOfflineQueue: false,
    maxRedirections: 4,
    clusterRetryStrategy: (attempt: number): number => Math.min(attempt * 100, 2_000),
  };
}

function parseNode(node: string): { host: string; port: number } {
  const at = node.lastIndexOf(':');
  const port = Number(node.slice(at + 1));
  return at > 0 && Number.isInteger(port) ? { host: node.slice(0, at), port } : { host: node, port: 6379 };
}

/** Resolves once the client is ready, or rejects after `timeoutMs` (start-up check). */
export async function waitForRedis(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

type ScriptFn = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/** Registers a Lua script (EVALSHA with EVAL fallback, done by ioredis) and returns a caller. */
export function defineScript(client: RedisClient, name: string, lua: string, numberOfKeys: number): ScriptFn {
  client.defineCommand(name, { lua, numberOfKeys });
  const commands = client as unknown as Record<string, ScriptFn>;
  return (...keysThenArgs) => {
    const command = commands[name];
    if (command === undefined) throw new Error(`Redis script ${name} is not defined`);
    return command.call(client, ...keysThenArgs);
  };
}
