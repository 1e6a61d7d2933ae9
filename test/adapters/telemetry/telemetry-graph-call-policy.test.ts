import { ConsecutiveBreaker, ConstantBackoff, circuitBreaker, handleWhen, retry, wrap } from 'cockatiel';
import type { IPolicy } from 'cockatiel';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphCallContext, GraphCallPolicy } from '../../../src/adapters/graph/graph-call-policy.js';
import { GraphHttpClient } from '../../../src/adapters/graph/graph-http-client.js';
import { startSandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import type { RunningSandbox } from '../../../src/adapters/sandbox/sandbox-server.js';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import { observeBreaker } from '../../../src/adapters/telemetry/cockatiel-breaker-observer.js';
import { METRIC_NAMES } from '../../../src/adapters/telemetry/telemetry.js';
import { TelemetryGraphCallPolicy } from '../../../src/adapters/telemetry/telemetry-graph-call-policy.js';
import type { Identity } from '../../../src/domain/identity.js';
import { makeTelemetryHarness, points } from './telemetry-harness.js';
import type { TelemetryHarness } from './telemetry-harness.js';

const BACKOFF_MS = 30;

/** A stand-in for the resilience policy: cockatiel retry (retryable DomainErrors) around a breaker. */
class CockatielPolicy implements GraphCallPolicy {
  constructor(private readonly policy: IPolicy) {}
  execute<T>(_ctx: GraphCallContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.policy.execute(({ signal }) => fn(signal));
  }
}

const retryable = handleWhen((e) => (e as { retryable?: unknown }).retryable === true);

describe('TelemetryGraphCallPolicy around a retrying policy, against the sandbox Graph', () => {
  let sandbox: RunningSandbox;
  let h: TelemetryHarness;
  const megan = seededUser('megan');
  const caller: Identity = { tenantId: megan.tenantId, objectId: megan.id, subject: megan.id, clientId: 'c', scopes: [] };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(async () => {
    h = await makeTelemetryHarness();
  });
  afterEach(async () => {
    sandbox.faults.clear();
    await h.handle.shutdown();
  });

  function makeClient(inner: GraphCallPolicy): GraphHttpClient {
    return new GraphHttpClient({
      baseUrl: `${sandbox.url}/v1.0`,
      tokenProvider: { getAccessToken: async (who) => sandbox.mintToken({ id: who.objectId, tenantId: who.tenantId }) },
      timeoutMs: 5_000,
      policy: new TelemetryGraphCallPolicy(inner, h.telemetry, { now: () => Date.now() }, (t) => h.redactor.tenantLabel(t)),
    });
  }

  const listInbox = (client: GraphHttpClient): Promise<unknown> =>
    client.request(caller, { family: 'mail', operation: 'mail.listMessages', method: 'GET', path: '/me/messages', idempotent: true });

  it('an injected 429 shows up as a retry event, a backoff measurement and a throttling count', async () => {
    sandbox.faults.set({ status429Rate: 1, retryAfterSeconds: 0, pathPattern: '/me/messages', count: 1 });
    const policy = retry(retryable, { maxAttempts: 2, backoff: new ConstantBackoff(BACKOFF_MS) });
    await listInbox(makeClient(new CockatielPolicy(policy)));

    const [span] = h.spans.getFinishedSpans();
    expect(span?.name).toBe('graph mail.listMessages');
    expect(span?.attributes).toMatchObject({ 'graph.attempts': 2, 'http.response.status_code': 429, family: 'mail' });
    expect(span?.events.map((e) => e.name)).toEqual(['graph.throttled', 'graph.retry']);
    expect(span?.events[1]?.attributes).toMatchObject({ attempt: 2, 'http.response.status_code': 429 });

    const m = await h.collect();
    expect(points(m.get(METRIC_NAMES.graphRetries))).toEqual([{ attributes: { family: 'mail' }, value: 1 }]);
    expect(points(m.get(METRIC_NAMES.graphThrottled))).toEqual([
      { attributes: { family: 'mail', tenant: h.redactor.tenantLabel(megan.tenantId) }, value: 1 },
    ]);
    const backoff = points(m.get(METRIC_NAMES.graphBackoffDuration))[0]?.value as { count: number; sum: number };
    expect(backoff.count).toBe(1);
    expect(backoff.sum).toBeGreaterThanOrEqual(BACKOFF_MS - 5);
  });

  it('a breaker opening on repeated 503s emits its state change and open event', async () => {
    sandbox.faults.set({ status503Rate: 1, pathPattern: '/me/messages' });
    const breaker = circuitBreaker(retryable, { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(2) });
    const unsubscribe = observeBreaker(breaker, 'mail', h.telemetry);
    const client = makeClient(new CockatielPolicy(wrap(breaker)));
    await expect(listInbox(client)).rejects.toMatchObject({ category: 'unavailable' });
    await expect(listInbox(client)).rejects.toMatchObject({ category: 'unavailable' });
    await expect(listInbox(client)).rejects.toThrow(/circuit/i);
    unsubscribe();

    const m = await h.collect();
    expect(points(m.get(METRIC_NAMES.breakerOpen))).toEqual([{ attributes: { family: 'mail' }, value: 1 }]);
    expect(points(m.get(METRIC_NAMES.breakerStateChanges))).toEqual([{ attributes: { family: 'mail', state: 'open' }, value: 1 }]);
    const opening = h.spans.getFinishedSpans().find((s) => s.events.some((e) => e.name === 'breaker.state_change'));
    expect(opening?.events.find((e) => e.name === 'breaker.state_change')?.attributes).toEqual({ family: 'mail', state: 'open' });
  });
});
