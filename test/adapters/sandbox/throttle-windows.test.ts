import { describe, expect, it } from 'vitest';
import { FaultController } from '../../../src/adapters/sandbox/faults.js';
import type { FaultConfigInput, FaultDecision, ThrottleSubject } from '../../../src/adapters/sandbox/faults.js';
import { createPrng } from '../../../src/adapters/sandbox/prng.js';

const megan: ThrottleSubject = { tenantId: 'contoso', userId: 'megan' };
const alex: ThrottleSubject = { tenantId: 'contoso', userId: 'alex' };
const diego: ThrottleSubject = { tenantId: 'fabrikam', userId: 'diego' };

/** A controller on a manual clock whose sampling draw the test sets: `sample()` makes the next draw open a window. */
function makeFaults(throttle: FaultConfigInput['throttle'], extra: Omit<FaultConfigInput, 'throttle'> = {}) {
  let t = 0;
  let draw = 0.99;
  const prng = { ...createPrng(1), next: () => draw };
  const faults = new FaultController(prng, () => t);
  faults.set({ throttle, ...extra });
  const call = (who: ThrottleSubject | undefined, path = '/v1.0/me/messages'): FaultDecision => {
    const decision = faults.decide('GET', path, () => who);
    draw = 0.99;
    return decision;
  };
  return {
    faults,
    call,
    /** Retry-After of the answer, or 'ok' when the request goes through. */
    answer: (who: ThrottleSubject | undefined, path?: string): number | 'ok' => {
      const d = call(who, path);
      return d.kind === 'none' ? 'ok' : (d.retryAfterSeconds ?? -1);
    },
    sample: (): void => {
      draw = 0;
    },
    at: (ms: number): void => {
      t = ms;
    },
  };
}

describe('sandbox throttle windows (Graph-like throttling)', () => {
  it('a sampled request opens a window: every request of that mailbox gets 429 with the Retry-After left until it closes', () => {
    const s = makeFaults({ rate: 0.3, retryAfterSeconds: 2, extendOnViolation: false });
    expect(s.answer(megan)).toBe('ok');
    s.sample();
    expect(s.call(megan)).toEqual({ kind: 'status429', latencyMs: 0, phase: 'before', retryAfterSeconds: 2 });
    s.at(500);
    expect(s.answer(megan)).toBe(2);
    s.at(1_100);
    expect(s.answer(megan)).toBe(1);
    s.at(1_999);
    expect(s.answer(megan)).toBe(1);
    s.at(2_000);
    expect(s.answer(megan)).toBe('ok');
  });

  it('mailbox scope: other mailboxes, in the same tenant or not, are not throttled', () => {
    const s = makeFaults({ rate: 0.3, retryAfterSeconds: 1, scope: 'mailbox', extendOnViolation: false });
    s.sample();
    expect(s.answer(megan)).toBe(1);
    expect(s.answer(alex)).toBe('ok');
    expect(s.answer(diego)).toBe('ok');
    expect(s.answer(megan)).toBe(1);
  });

  it('tenant scope: one window for the whole tenant, other tenants untouched', () => {
    const s = makeFaults({ rate: 0.3, retryAfterSeconds: 1, scope: 'tenant', extendOnViolation: false });
    s.sample();
    expect(s.answer(megan)).toBe(1);
    expect(s.answer(alex)).toBe(1);
    expect(s.answer(diego)).toBe('ok');
    s.at(1_000);
    expect(s.answer(alex)).toBe('ok');
  });

  it('requests inside the window push it out by the penalty each, up to maxWindowSeconds from its opening', () => {
    const s = makeFaults({ rate: 0.3, retryAfterSeconds: 1, violationPenaltyMs: 300, maxWindowSeconds: 2 });
    s.sample();
    expect(s.answer(megan)).toBe(1); // opens 0..1000
    expect(s.answer(megan)).toBe(2); // 1300
    expect(s.answer(megan)).toBe(2); // 1600
    expect(s.answer(megan)).toBe(2); // 1900
    expect(s.answer(megan)).toBe(2); // 2200, capped at 2000
    s.at(1_950);
    expect(s.answer(megan)).toBe(1); // still capped at 2000
    s.at(2_000);
    expect(s.answer(megan)).toBe('ok');
  });

  it('without extendOnViolation hammering does not lengthen the window', () => {
    const s = makeFaults({ rate: 0.3, retryAfterSeconds: 1, extendOnViolation: false, violationPenaltyMs: 300 });
    s.sample();
    for (let i = 0; i < 10; i++) expect(s.answer(megan)).toBe(1);
    s.at(1_000);
    expect(s.answer(megan)).toBe('ok');
  });

  it('a client that waits out Retry-After is never refused for violating: the window it returns to is closed', () => {
    const s = makeFaults({ rate: 0.3, retryAfterSeconds: 1 });
    s.sample();
    s.at(100);
    const retryAfter = s.answer(megan);
    expect(retryAfter).toBe(1); // its own penalty moved the end to 1060: 960 ms left, rounded up
    s.at(100 + Number(retryAfter) * 1000);
    expect(s.answer(megan)).toBe('ok');
  });

  it('keeps to path and method filters, and never throttles a request without a caller', () => {
    const s = makeFaults({ rate: 1, retryAfterSeconds: 1 }, { pathPattern: '/me/messages', method: 'GET' });
    expect(s.answer(megan, '/v1.0/me')).toBe('ok');
    expect(s.faults.decide('POST', '/v1.0/me/messages', () => megan).kind).toBe('none');
    expect(s.answer(undefined)).toBe('ok');
    expect(s.answer(megan)).toBe(1);
  });

  it('setting or clearing faults closes every window', () => {
    const s = makeFaults({ rate: 0.3, retryAfterSeconds: 5 });
    s.sample();
    expect(s.answer(megan)).toBe(5);
    s.faults.set({ throttle: { rate: 0.3, retryAfterSeconds: 5 } });
    expect(s.answer(megan)).toBe('ok');
    s.sample();
    expect(s.answer(megan)).toBe(5);
    s.faults.clear();
    expect(s.answer(megan)).toBe('ok');
  });

  it('rejects a window bound shorter than Retry-After', () => {
    const faults = new FaultController(1);
    expect(() => faults.set({ throttle: { rate: 0.3, retryAfterSeconds: 5, maxWindowSeconds: 2 } })).toThrow(/maxWindowSeconds/);
  });

  it('samples at the configured rate with the seeded generator', () => {
    let t = 0;
    const faults = new FaultController(7, () => t);
    faults.set({ throttle: { rate: 0.3, retryAfterSeconds: 1 } });
    let opened = 0;
    for (let i = 0; i < 2_000; i++) {
      t += 2_000; // every window closed again: each request is sampled
      if (faults.decide('GET', '/v1.0/me', () => megan).kind === 'status429') opened += 1;
    }
    expect(opened / 2_000).toBeGreaterThan(0.25);
    expect(opened / 2_000).toBeLessThan(0.35);
  });
});
