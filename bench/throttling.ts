import { GraphHttpClient } from '../src/adapters/graph/graph-http-client.js';
import type { GraphCallContext, GraphCallPolicy } from '../src/adapters/graph/graph-call-policy.js';
import { HttpMailGateway } from '../src/adapters/graph/http-mail-gateway.js';
import { InMemoryCache } from '../src/adapters/memory/in-memory-cache.js';
import { CockatielGraphCallPolicy } from '../src/adapters/resilience/cockatiel-graph-call-policy.js';
import { SandboxGraphTokenProvider } from '../src/adapters/sandbox/sandbox-graph-token-provider.js';
import { ALL_SANDBOX_SCOPES, startSandbox } from '../src/adapters/sandbox/sandbox-server.js';
import { SEEDED_USERS } from '../src/adapters/sandbox/seed.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import { loadConfig } from '../src/app/config.js';
import { isDomainError } from '../src/domain/errors.js';
import type { Identity } from '../src/domain/identity.js';

const SECRET = 'bench-sandbox-secret-0123456789';
const CALLS = Number(process.env['BENCH_THROTTLE_CALLS'] ?? 300);
const CONCURRENCY = 16;

/** What a client without a policy does: retry at once, up to 10 attempts, on anything retryable. */
class ImmediateRetryPolicy implements GraphCallPolicy {
  async execute<T>(_ctx: GraphCallContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(new AbortController().signal);
      } catch (error) {
        if (attempt >= 10 || !isDomainError(error) || !error.retryable) throw error;
      }
    }
  }
}

interface Outcome {
  ok: number;
  failed: number;
  graphRequests: number;
  /** Most Graph requests in any one-second window: how hard the client hits a throttling service. */
  peakPerSecond: number;
  seconds: number;
}

function peakPerSecond(timestamps: number[]): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

async function runWith(policyName: string, policy: GraphCallPolicy): Promise<Outcome> {
  // A fresh sandbox per run, throttling 30% of mail requests with Retry-After: 1.
  const sandbox = await startSandbox({ tokenSecret: SECRET, faults: { status429Rate: 0.3, retryAfterSeconds: 1, pathPattern: '/me/messages' } });
  try {
    const clock = new SystemClock();
    const graph = new GraphHttpClient({
      baseUrl: `${sandbox.url}/v1.0`,
      tokenProvider: new SandboxGraphTokenProvider(SECRET, ALL_SANDBOX_SCOPES, clock),
      timeoutMs: 10_000,
      policy,
      clock,
    });
    const mail = new HttpMailGateway(graph);
    const users: Identity[] = SEEDED_USERS.map((u) => ({ tenantId: u.tenantId, objectId: u.id, subject: u.id, clientId: 'bench', scopes: [] }));
    let next = 0;
    let ok = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) {
          const caller = users[next++ % users.length]!;
          try {
            await mail.listMessages(caller, {}, 5);
            ok++;
          } catch {
            failed++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const snapshot = sandbox.stats.snapshot();
    const timestamps = Object.values(snapshot.routes).flatMap((r) => r.timestamps);
    const outcome = { ok, failed, graphRequests: snapshot.total, peakPerSecond: peakPerSecond(timestamps), seconds };
    console.log(
      `  ${policyName.padEnd(28)} ok ${String(ok).padStart(4)}  failed ${String(failed).padStart(3)}  Graph requests ${String(outcome.graphRequests).padStart(5)} ` +
        `(${(outcome.graphRequests / Math.max(1, ok)).toFixed(2)}/success, peak ${outcome.peakPerSecond}/s)  goodput ${(ok / seconds).toFixed(1)}/s over ${seconds.toFixed(1)} s`,
    );
    return outcome;
  } finally {
    await sandbox.close();
  }
}

/**
 * Throttling: the sandbox answers 30% of mail calls with 429 (Retry-After: 1). Our policy
 * (defaults from config) against a naive client that retries at once. The sandbox throttles at
 * random, not by load, so hammering costs it nothing; real Graph extends throttling for clients
 * that ignore Retry-After, which this bench cannot show: read the request counts, not only goodput.
 */
export async function runThrottlingBench(): Promise<void> {
  console.log(`throttling (${CALLS} mail list calls, ${CONCURRENCY} concurrent, ${SEEDED_USERS.length} users in 2 tenants, 30% 429 with Retry-After 1)`);
  const config = loadConfig({ NODE_ENV: 'test' });
  const ours = await runWith('cockatiel policy (defaults)', new CockatielGraphCallPolicy({
    settings: { ...config.resilience, timeoutMs: config.graph.timeoutMs },
    cache: new InMemoryCache(new SystemClock()),
    clock: new SystemClock(),
  }));
  const naive = await runWith('naive immediate retry', new ImmediateRetryPolicy());
  const rate = (o: Outcome): number => o.ok / o.seconds;
  console.log(
    `  ratio ours/naive: goodput ${(rate(ours) / rate(naive)).toFixed(2)}x, Graph requests ${(ours.graphRequests / naive.graphRequests).toFixed(2)}x, ` +
      `requests per success ${(ours.graphRequests / Math.max(1, ours.ok) / (naive.graphRequests / Math.max(1, naive.ok))).toFixed(2)}x, ` +
      `peak requests/s ${(ours.peakPerSecond / naive.peakPerSecond).toFixed(2)}x`,
  );
}


