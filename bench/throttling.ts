import { loadavg } from 'node:os';
import { GraphHttpClient } from '../src/adapters/graph/graph-http-client.js';
import type { GraphCallContext, GraphCallPolicy } from '../src/adapters/graph/graph-call-policy.js';
import { HttpMailGateway } from '../src/adapters/graph/http-mail-gateway.js';
import { InMemoryCache } from '../src/adapters/memory/in-memory-cache.js';
import { CockatielGraphCallPolicy } from '../src/adapters/resilience/cockatiel-graph-call-policy.js';
import type { GraphResilienceSettings } from '../src/adapters/resilience/cockatiel-graph-call-policy.js';
import { throttleConfigSchema, type ThrottleConfig } from '../src/adapters/sandbox/faults.js';
import { SandboxGraphTokenProvider } from '../src/adapters/sandbox/sandbox-graph-token-provider.js';
import { ALL_SANDBOX_SCOPES, startSandbox } from '../src/adapters/sandbox/sandbox-server.js';
import { SEEDED_USERS } from '../src/adapters/sandbox/seed.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import { loadConfig } from '../src/app/config.js';
import { isDomainError } from '../src/domain/errors.js';
import type { Identity } from '../src/domain/identity.js';

const SECRET = 'bench-sandbox-secret-0123456789';
const SECONDS = Number(process.env['BENCH_THROTTLE_SECONDS'] ?? 10);
/** Each worker is one user's assistant making mail list calls back to back. */
const WORKERS_PER_USER = 2;
const RATE = 0.3;
/**
 * Graph's models: Outlook throttles per mailbox and keeps throttling clients that send while
 * throttled; some services throttle per tenant; and the mailbox model without the extension shows
 * what obeying Retry-After costs when hammering is free.
 */
const SCENARIOS: Array<Pick<ThrottleConfig, 'scope' | 'extendOnViolation'>> = [
  { scope: 'mailbox', extendOnViolation: true },
  { scope: 'tenant', extendOnViolation: true },
  { scope: 'mailbox', extendOnViolation: false },
];

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

/**
 * One client for SECONDS against a fresh sandbox: every worker calls until the deadline; what
 * counts is what settled before it (calls still waiting then are left to finish uncounted), and
 * the Graph requests the sandbox saw until then.
 */
async function runWith(name: string, policy: GraphCallPolicy, throttle: ThrottleConfig): Promise<Outcome> {
  const sandbox = await startSandbox({ tokenSecret: SECRET, faults: { throttle, pathPattern: '/me/messages' } });
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
    const deadline = performance.now() + SECONDS * 1000;
    let ok = 0;
    let failed = 0;
    const atDeadline = new Promise<ReturnType<typeof sandbox.stats.snapshot>>((resolve) =>
      setTimeout(() => resolve(sandbox.stats.snapshot()), deadline - performance.now()),
    );
    const workers = Array.from({ length: users.length * WORKERS_PER_USER }, async (_, i) => {
      const caller = users[i % users.length]!;
      while (performance.now() < deadline) {
        let succeeded = false;
        try {
          await mail.listMessages(caller, {}, 5);
          succeeded = true;
        } catch {
          // counted below
        }
        if (performance.now() > deadline) break;
        if (succeeded) ok++;
        else failed++;
      }
    });
    const snapshot = await atDeadline;
    await Promise.all(workers);
    // The sandbox keeps the last 10,000 timestamps per route: past that the peak is a lower bound.
    const timestamps = Object.values(snapshot.routes).flatMap((r) => r.timestamps);
    const outcome = { ok, failed, graphRequests: snapshot.total, peakPerSecond: peakPerSecond(timestamps) };
    console.log(
      `  ${name.padEnd(34)} goodput ${(ok / SECONDS).toFixed(1).padStart(5)}/s  ok ${String(ok).padStart(5)}  failed ${String(failed).padStart(5)}  ` +
        `Graph requests ${String(outcome.graphRequests).padStart(6)} (${(outcome.graphRequests / Math.max(1, ok)).toFixed(2)}/success, peak ${outcome.peakPerSecond}/s)`,
    );
    return outcome;
  } finally {
    await sandbox.close();
  }
}

function ratios(label: string, ours: Outcome, naive: Outcome): void {
  const perSuccess = (o: Outcome): number => o.graphRequests / Math.max(1, o.ok);
  console.log(
    `  ${label}: goodput ${(ours.ok / Math.max(1, naive.ok)).toFixed(2)}x, Graph requests ${(ours.graphRequests / naive.graphRequests).toFixed(2)}x, ` +
      `requests per success ${(perSuccess(ours) / perSuccess(naive)).toFixed(2)}x, peak requests/s ${(ours.peakPerSecond / naive.peakPerSecond).toFixed(2)}x`,
  );
}

/**
 * Throttling as Graph does it (sandbox throttle windows): a sampled request (30%) opens a window for
 * its mailbox (Outlook) or tenant in which every request gets 429 with the Retry-After left (1 s at
 * first), and requests sent into it push it out. Our policy (config defaults, in-memory cache), and
 * the same with mail backing off tenant-wide (the behaviour before per-family scopes), against a
 * naive client that retries at once; each for the same fixed time with the same workers.
 */
export async function runThrottlingBench(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test' });
  const settings: GraphResilienceSettings = { ...config.resilience, timeoutMs: config.graph.timeoutMs };
  const ours = (s: GraphResilienceSettings): GraphCallPolicy =>
    new CockatielGraphCallPolicy({ settings: s, cache: new InMemoryCache(new SystemClock()), clock: new SystemClock() });
  console.log(
    `throttling: ${SEEDED_USERS.length} users in ${new Set(SEEDED_USERS.map((u) => u.tenantId)).size} tenants, ${WORKERS_PER_USER} workers per user calling mail list back to back; ` +
      `each client runs ${SECONDS} s against a fresh sandbox and counts what settled within them (same time, same workers: a client that waits ` +
      `is not charged for calls it never started, one that fails fast is not credited for them). Load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  for (const scenario of SCENARIOS) {
    const model = throttleConfigSchema.parse({ rate: RATE, retryAfterSeconds: 1, ...scenario });
    console.log(
      `Graph throttles per ${model.scope}: ${model.rate * 100}% of requests outside a window open one (Retry-After ${model.retryAfterSeconds} s); requests inside get 429 ` +
        (model.extendOnViolation ? `and push it out by ${model.violationPenaltyMs} ms each, up to ${model.maxWindowSeconds} s` : 'but do not extend it'),
    );
    const naive = await runWith('naive immediate retry', new ImmediateRetryPolicy(), model);
    const tenantWide = await runWith('ours, mail backs off per tenant', ours({ ...settings, backoffScopeByFamily: { mail: 'tenant' } }), model);
    const policy = await runWith('ours (defaults: mail per mailbox)', ours(settings), model);
    ratios('ratio ours (defaults)/naive', policy, naive);
    ratios('ratio ours (per tenant)/naive', tenantWide, naive);
  }
}
