import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../../src/adapters/system/system-clock.js';

describe('SystemClock', () => {
  it('follows the wall clock', () => {
    const before = Date.now();
    const now = new SystemClock().now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
