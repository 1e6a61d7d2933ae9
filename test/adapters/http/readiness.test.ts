import { describe, expect, it } from 'vitest';
import { describeFailure, probe, type ReadinessCheck } from '../../../src/adapters/http/readiness.js';

const ok = (name: string, extra: Partial<ReadinessCheck> = {}): ReadinessCheck => ({ name, check: async () => undefined, ...extra });
const failing = (name: string, error: Error, extra: Partial<ReadinessCheck> = {}): ReadinessCheck => ({
  name,
  check: async () => {
    throw error;
  },
  ...extra,
});

describe('readiness probe', () => {
  it('stays ready when only a non-critical dependency fails, and says it is degraded', async () => {
    const report = await probe([ok('dynamodb'), failing('redis', new Error('connection refused'), { critical: false })], 1_000);
    expect(report).toEqual({ ready: true, checks: { dynamodb: 'ok', redis: 'degraded: connection refused' } });
  });

  it('is not ready when a critical dependency fails (critical by default)', async () => {
    const report = await probe([failing('kms', new Error('AccessDeniedException')), ok('redis', { critical: false })], 1_000);
    expect(report).toEqual({ ready: false, checks: { kms: 'AccessDeniedException', redis: 'ok' } });
  });

  it('times out a hanging check instead of hanging the probe', async () => {
    const hanging: ReadinessCheck = {
      name: 'slow',
      check: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('timed out')))),
    };
    expect(await probe([hanging], 50)).toEqual({ ready: false, checks: { slow: 'timed out' } });
  });

  it('describes errors without a message by their inner error, code or name', () => {
    expect(describeFailure(new AggregateError([new Error('connect ECONNREFUSED 127.0.0.1:1')], ''))).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(describeFailure(Object.assign(new Error(''), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(describeFailure(Object.assign(new Error(''), { name: 'CredentialsProviderError' }))).toBe('CredentialsProviderError');
    expect(describeFailure(new Error('first line\nsecond'))).toBe('first line');
  });
});
