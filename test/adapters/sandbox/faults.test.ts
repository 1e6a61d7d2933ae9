import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultController } from '../../../src/adapters/sandbox/faults.js';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import { makeSandbox } from './sandbox-fixture.js';
import type { SandboxFixture } from './sandbox-fixture.js';

const isaiah = seededUser('isaiah');
const megan = seededUser('megan');
const diego = seededUser('diego');
let fx: SandboxFixture;

beforeAll(async () => {
  fx = await makeSandbox();
});
afterEach(() => {
  fx.sandbox.faults.clear();
});
afterAll(async () => {
  await fx.sandbox.close();
});

const sendTo = (subject: string): Promise<Response> =>
  fx.call(isaiah, '/v1.0/me/sendMail', {
    method: 'POST',
    body: JSON.stringify({
      message: {
        subject,
        body: { contentType: 'Text', content: 'x' },
        toRecipients: [{ emailAddress: { address: megan.mail } }],
      },
    }),
  });
const inboxSubjects = async (): Promise<string[]> =>
  (
    await fx.json<{ value: Array<{ subject: string }> }>(
      megan,
      '/v1.0/me/mailFolders/inbox/messages?$top=20&$select=subject',
    )
  ).value.map((m) => m.subject);

describe('sandbox fault injection', () => {
  it('throttles with 429 TooManyRequests and Retry-After', async () => {
    fx.sandbox.faults.set({ status429Rate: 1, retryAfterSeconds: 7 });
    const res = await fx.call(isaiah, '/v1.0/me');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    const body = (await res.json()) as { error: { code: string; innerError: { 'request-id': string } } };
    expect(body.error.code).toBe('TooManyRequests');
    expect(body.error.innerError['request-id']).toBe(res.headers.get('request-id'));
  });

  it('fails with 503 only for matching paths and methods, and only `count` times', async () => {
    fx.sandbox.faults.set({ status503Rate: 1, pathPattern: '/me/messages', method: 'GET', count: 2 });
    expect((await fx.call(isaiah, '/v1.0/me')).status).toBe(200);
    expect((await fx.call(isaiah, '/v1.0/me/messages')).status).toBe(503);
    expect((await fx.call(isaiah, '/v1.0/me/messages')).status).toBe(503);
    expect((await fx.call(isaiah, '/v1.0/me/messages')).status).toBe(200);
    expect(fx.sandbox.faults.current()?.remaining).toBe(0);
  });

  it('resets the connection before the handler: nothing is applied', async () => {
    fx.sandbox.faults.set({ resetRate: 1, pathPattern: 'sendMail', count: 1 });
    const subject = `reset-before ${Date.now()}`;
    await expect(sendTo(subject)).rejects.toThrow();
    expect(await inboxSubjects()).not.toContain(subject);
  });

  it('resets the connection after the handler: the mail was sent though the caller saw a failure', async () => {
    fx.sandbox.faults.set({ resetRate: 1, pathPattern: 'sendMail', count: 1, phase: 'after' });
    const subject = `reset-after ${Date.now()}`;
    await expect(sendTo(subject)).rejects.toThrow();
    expect(await inboxSubjects()).toContain(subject);
    expect((await sendTo(`${subject} retry`)).status).toBe(202);
  });

  it('can answer 429 after applying the request (phase after)', async () => {
    fx.sandbox.faults.set({
      status429Rate: 1,
      pathPattern: 'sendMail',
      count: 1,
      phase: 'after',
      retryAfterSeconds: 2,
    });
    const subject = `throttled-after ${Date.now()}`;
    const res = await sendTo(subject);
    expect(res.status).toBe(429);
    expect(await inboxSubjects()).toContain(subject);
  });

  it('adds latency', async () => {
    fx.sandbox.faults.set({ latencyMs: 150, pathPattern: '^/v1.0/me$' });
    const started = performance.now();
    expect((await fx.call(isaiah, '/v1.0/me')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('is controllable over HTTP and counts requests per route template', async () => {
    expect((await fetch(fx.url('/_sandbox/stats'), { method: 'DELETE' })).status).toBe(204);
    const set = await fetch(fx.url('/_sandbox/faults'), {
      method: 'POST',
      body: JSON.stringify({ status429Rate: 1, retryAfterSeconds: 3, count: 1 }),
    });
    expect(set.status).toBe(200);
    expect((await fx.call(isaiah, '/v1.0/me')).status).toBe(429);
    expect((await fx.call(isaiah, '/v1.0/me')).status).toBe(200);
    const [first] = (await fx.json<{ value: Array<{ id: string }> }>(isaiah, '/v1.0/me/messages?$top=1'))
      .value;
    await fx.call(isaiah, `/v1.0/me/messages/${first?.id ?? ''}`);
    expect(
      (
        await fetch(fx.url('/_sandbox/faults'), {
          method: 'POST',
          body: JSON.stringify({ status429Rate: 2 }),
        })
      ).status,
    ).toBe(400);
    expect((await fetch(fx.url('/_sandbox/faults'), { method: 'DELETE' })).status).toBe(204);
    expect(fx.sandbox.faults.current()).toBeUndefined();
    const stats = (await (await fetch(fx.url('/_sandbox/stats'))).json()) as {
      total: number;
      routes: Record<string, { count: number; timestamps: number[] }>;
    };
    expect(stats.routes['GET /v1.0/me']?.count).toBe(2);
    expect(stats.routes['GET /v1.0/me/messages/{id}']?.count).toBe(1);
    expect(stats.routes['GET /v1.0/me/messages']?.timestamps).toHaveLength(1);
    expect(stats.total).toBe(4);
  });

  it('throttle windows over HTTP: keyed by the token\'s mailbox (or tenant), extended by requests sent while throttled', async () => {
    const retryAfter = async (user: typeof isaiah): Promise<string | null> => {
      const res = await fx.call(user, '/v1.0/me/messages?$top=1');
      expect(res.status).toBe(429);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
      return res.headers.get('retry-after');
    };
    const hammer = async (user: typeof isaiah): Promise<string | null> => {
      for (let i = 0; i < 19; i++) await retryAfter(user);
      return retryAfter(user);
    };
    const throttle = { rate: 1, retryAfterSeconds: 3, violationPenaltyMs: 500 };
    const set = await fetch(fx.url('/_sandbox/faults'), {
      method: 'POST',
      body: JSON.stringify({ throttle, pathPattern: '/me/messages' }),
    });
    expect(((await set.json()) as { faults: unknown }).faults).toMatchObject({
      throttle: { ...throttle, scope: 'mailbox', extendOnViolation: true, maxWindowSeconds: 30 },
    });
    expect(await retryAfter(isaiah)).toBe('3');
    expect(Number(await hammer(isaiah))).toBeGreaterThanOrEqual(5); // 3 s + 20 × 500 ms, less the time the requests took
    expect(await retryAfter(megan)).toBe('3'); // her own window, just opened
    expect((await fx.call(isaiah, '/v1.0/me')).status).toBe(200); // outside the path filter
    expect((await fetch(fx.url('/v1.0/me/messages'))).status).toBe(401); // no caller, no window

    fx.sandbox.faults.set({ throttle: { ...throttle, scope: 'tenant' }, pathPattern: '/me/messages' });
    expect(Number(await hammer(isaiah))).toBeGreaterThanOrEqual(5);
    expect(Number(await retryAfter(megan))).toBeGreaterThanOrEqual(5); // contoso's window
    expect(await retryAfter(diego)).toBe('3'); // fabrikam's own
    const invalid = await fetch(fx.url('/_sandbox/faults'), {
      method: 'POST',
      body: JSON.stringify({ throttle: { rate: 0.3, retryAfterSeconds: 5, maxWindowSeconds: 1 } }),
    });
    expect(invalid.status).toBe(400);
  });

  it('draws fault rates from a seeded generator: same seed, same sequence', () => {
    const run = (): string[] => {
      const faults = new FaultController(9);
      faults.set({ status429Rate: 0.3, status503Rate: 0.2 });
      return Array.from({ length: 50 }, () => faults.decide('GET', '/v1.0/me').kind);
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['none', 'status429', 'status503']));
  });
});
