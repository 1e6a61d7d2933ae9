import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryCache } from '../../../src/adapters/memory/in-memory-cache.js';
import { RedisCache } from '../../../src/adapters/redis/redis-cache.js';
import type { GraphCallContext } from '../../../src/adapters/graph/graph-call-policy.js';
import { CockatielGraphCallPolicy, type GraphResilienceSettings, type LiveTuning } from '../../../src/adapters/resilience/cockatiel-graph-call-policy.js';
import { NO_RESILIENCE_EVENTS, type ResilienceEvents } from '../../../src/adapters/resilience/resilience-events.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { Cache } from '../../../src/ports/cache.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

const clock = { now: (): number => Date.now() };

function settings(overrides: Partial<GraphResilienceSettings> = {}, retry: Partial<GraphResilienceSettings['retry']> = {}): GraphResilienceSettings {
  return {
    concurrency: 8,
    concurrencyByFamily: {},
    queueSize: 100,
    timeoutMs: 5_000,
    timeoutMsByFamily: {},
    backoffScopeByFamily: {},
    breaker: { consecutiveFailures: 100, halfOpenAfterMs: 1_000 },
    ...overrides,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50, retryAfterMaxSeconds: 10, backoffMultiplier: 1, budget: { ratio: 0.2, minPerSecond: 0, capacity: 100 }, ...retry },
  };
}

const ctx = (over: Partial<GraphCallContext> = {}): GraphCallContext => ({ family: 'mail', tenantId: 't1', userId: 'u1', idempotent: true, operation: 'mail.test', ...over });
const http = (status: number, retryAfterSeconds?: number): DomainError =>
  new DomainError(status === 429 ? 'throttled' : 'unavailable', `graph.http${status}`, 'x', { httpStatus: status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });

function policy(s: GraphResilienceSettings, cache: Cache = new InMemoryCache(clock), extra: { tuning?: LiveTuning; events?: ResilienceEvents } = {}): CockatielGraphCallPolicy {
  return new CockatielGraphCallPolicy({ settings: s, cache, clock, ...extra });
}

describe('CockatielGraphCallPolicy', () => {
  it('times out a slow attempt at the family deadline and retries it when idempotent', async () => {
    const p = policy(settings({ timeoutMsByFamily: { search: 100 } }, { maxAttempts: 2 }));
    let attempts = 0;
    const error = await p
      .execute(ctx({ family: 'search' }), async (signal) => {
        attempts += 1;
        await new Promise((resolve, reject) => {
          const t = setTimeout(resolve, 2_000);
          signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))));
        });
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'timeout', code: 'graph.timeout' });
    expect(attempts).toBe(2);
  });

  it('never retries a non-idempotent call after a timeout, and says the outcome is unknown', async () => {
    const p = policy(settings({ timeoutMs: 50 }));
    let attempts = 0;
    const error = await p
      .execute(ctx({ idempotent: false }), () => {
        attempts += 1;
        return new Promise(() => undefined);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ category: 'unavailable', code: 'graph.outcomeUnknown' });
    expect(attempts).toBe(1);
  });

  it('spends a retry budget: with the budget empty, an outage costs one request per call, not maxAttempts', async () => {
    const p = policy(settings({}, { budget: { ratio: 0.1, minPerSecond: 0, capacity: 2 } }));
    let requests = 0;
    for (let i = 0; i < 20; i++) {
      await p.execute(ctx(), async () => {
        requests += 1;
        throw http(500);
      }).catch(() => undefined);
    }
    // 20 first attempts + 2 saved-up retries + 0.1 per call earned (≤ 2 more) — far below 20 × 4.
    expect(requests).toBeGreaterThanOrEqual(22);
    expect(requests).toBeLessThanOrEqual(24);
  });

  it('applies a live concurrency change to new calls', async () => {
    let limit = 4;
    const p = policy(settings(), new InMemoryCache(clock), { tuning: { concurrency: () => limit, backoffMultiplier: () => undefined } });
    let running = 0;
    let peak = 0;
    const slow = async (): Promise<void> => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 20 }, () => p.execute(ctx(), slow)));
    expect(peak).toBe(4);
    limit = 1;
    peak = 0;
    await Promise.all(Array.from({ length: 10 }, () => p.execute(ctx(), slow)));
    expect(peak).toBe(1);
  });

  it('reports retries, breaker changes and bulkhead occupancy to the telemetry hooks', async () => {
    const seen: string[] = [];
    const events: ResilienceEvents = {
      ...NO_RESILIENCE_EVENTS,
      retry: (e) => seen.push(`retry:${e.attempt}`),
      breakerStateChanged: (e) => seen.push(`breaker:${e.state}`),
      bulkhead: (e) => seen.push(`bulkhead:${e.inFlight}`),
    };
    const p = policy(settings({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 1_000 } }, { maxAttempts: 2 }), new InMemoryCache(clock), { events });
    await p.execute(ctx(), async () => {
      throw http(502);
    }).catch(() => undefined);
    expect(seen).toContain('retry:1');
    expect(seen).toContain('breaker:open');
    expect(seen).toContain('bulkhead:1');
  });
});

describe('back-off scope: the caller\'s mailbox for Outlook families, the tenant for the others', () => {
  const throttle = (p: CockatielGraphCallPolicy, c: GraphCallContext, seconds = 5): Promise<unknown> =>
    p.execute(c, async () => {
      throw http(429, seconds);
    }).catch(() => undefined);
  /** The refusal a call gets without reaching Graph, or 'called' when it went through. */
  const next = async (p: CockatielGraphCallPolicy, c: GraphCallContext): Promise<unknown> => {
    let called = false;
    const refused = await p.execute(c, async () => {
      called = true;
    }).catch((e: unknown) => e);
    return called ? 'called' : refused;
  };
  const impatient = settings({}, { maxAttempts: 1, retryAfterMaxSeconds: 1 });

  it('a mail 429 holds back that mailbox, in every Outlook family, and no other mailbox of the tenant', async () => {
    const events: string[] = [];
    const p = policy(impatient, new InMemoryCache(clock), {
      events: { ...NO_RESILIENCE_EVENTS, throttleBackoff: (e) => events.push(`${e.family}:${e.scope}:${e.refused}`) },
    });
    await throttle(p, ctx({ userId: 'megan' }));
    expect(await next(p, ctx({ userId: 'megan' }))).toMatchObject({ category: 'throttled', code: 'graph.mailboxBackoff', retryAfterSeconds: 5 });
    expect(await next(p, ctx({ userId: 'megan', family: 'calendar' }))).toMatchObject({ code: 'graph.mailboxBackoff' });
    expect(await next(p, ctx({ userId: 'alex' }))).toBe('called');
    expect(await next(p, ctx({ userId: 'megan', family: 'files' }))).toBe('called'); // SharePoint's limits are not Outlook's
    expect(events).toEqual(['mail:mailbox:true', 'calendar:mailbox:true']);
  });

  it('a files 429 holds back every user of the tenant for tenant-scoped families, not their mailboxes', async () => {
    const p = policy(impatient);
    await throttle(p, ctx({ family: 'files', userId: 'megan' }));
    expect(await next(p, ctx({ family: 'files', userId: 'alex' }))).toMatchObject({ category: 'throttled', code: 'graph.tenantBackoff', retryAfterSeconds: 5 });
    expect(await next(p, ctx({ family: 'search', userId: 'alex' }))).toMatchObject({ code: 'graph.tenantBackoff' });
    expect(await next(p, ctx({ family: 'files', tenantId: 't2' }))).toBe('called');
    expect(await next(p, ctx({ family: 'mail', userId: 'alex' }))).toBe('called');
  });

  it('GRAPH_BACKOFF_SCOPE_BY_FAMILY overrides a family: mail=tenant holds back the whole tenant again', async () => {
    const p = policy(settings({ backoffScopeByFamily: { mail: 'tenant' } }, { maxAttempts: 1, retryAfterMaxSeconds: 1 }));
    await throttle(p, ctx({ userId: 'megan' }));
    expect(await next(p, ctx({ userId: 'alex' }))).toMatchObject({ code: 'graph.tenantBackoff' });
    expect(await next(p, ctx({ userId: 'alex', family: 'calendar' }))).toBe('called');
  });

  it('a retried mail call waits out its own mailbox only: another mailbox\'s calls run meanwhile', async () => {
    const p = policy(settings({}, { maxAttempts: 2, retryAfterMaxSeconds: 5 }));
    let megansAttempts = 0;
    const started = Date.now();
    const megan = p.execute(ctx({ userId: 'megan' }), async () => {
      megansAttempts += 1;
      if (megansAttempts === 1) throw http(429, 1);
      return Date.now() - started;
    });
    await new Promise((r) => setTimeout(r, 50));
    const alexAt = await p.execute(ctx({ userId: 'alex' }), async () => Date.now() - started);
    expect(alexAt).toBeLessThan(500);
    expect(await megan).toBeGreaterThanOrEqual(1_000);
  });
});

describe('back-off shared across replicas through Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await connectTestRedis();
  });
  afterAll(async () => {
    await redis.close();
  });

  it("a 429 on replica A makes replica B wait for that tenant, not for others", async () => {
    const files = (tenantId: string): GraphCallContext => ctx({ family: 'files', tenantId });
    const a = policy(settings({}, { maxAttempts: 1 }), new RedisCache(redis.redis));
    const b = policy(settings({}, { maxAttempts: 1, retryAfterMaxSeconds: 1 }), new RedisCache(redis.redis));
    await a.execute(files('tenant-x'), async () => {
      throw http(429, 2);
    }).catch(() => undefined);
    let called = false;
    // B may wait at most 1 s, the back-off is 2 s: refused without calling Graph.
    const refused = await b.execute(files('tenant-x'), async () => {
      called = true;
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ category: 'throttled', code: 'graph.tenantBackoff', retryAfterSeconds: 2 });
    expect(called).toBe(false);
    await b.execute(files('tenant-y'), async () => {
      called = true;
    });
    expect(called).toBe(true);
    // With a longer allowed wait, B waits the back-off out and then calls.
    const patient = policy(settings({}, { maxAttempts: 1, retryAfterMaxSeconds: 5 }), new RedisCache(redis.redis));
    const started = Date.now();
    await patient.execute(files('tenant-x'), async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('a mail 429 on replica A makes replica B refuse that mailbox, and only that one', async () => {
    const mail = (userId: string): GraphCallContext => ctx({ tenantId: 'tenant-m', userId });
    const a = policy(settings({}, { maxAttempts: 1 }), new RedisCache(redis.redis));
    const b = policy(settings({}, { maxAttempts: 1, retryAfterMaxSeconds: 1 }), new RedisCache(redis.redis));
    await a.execute(mail('megan'), async () => {
      throw http(429, 3);
    }).catch(() => undefined);
    const refused = await b.execute(mail('megan'), async () => undefined).catch((e: unknown) => e);
    expect(refused).toMatchObject({ category: 'throttled', code: 'graph.mailboxBackoff', retryAfterSeconds: 3 });
    await b.execute(mail('alex'), async () => undefined);
  });

  it('keeps honouring what the replica saw itself when the shared cache fails', async () => {
    const broken: Cache = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
      delete: () => Promise.reject(new Error('redis down')),
    };
    const p = policy(settings({}, { maxAttempts: 1, retryAfterMaxSeconds: 1 }), broken);
    await p.execute(ctx(), async () => {
      throw http(429, 5);
    }).catch(() => undefined);
    const refused = await p.execute(ctx(), async () => undefined).catch((e: unknown) => e);
    expect(refused).toMatchObject({ category: 'throttled', code: 'graph.mailboxBackoff' });
  });
});
