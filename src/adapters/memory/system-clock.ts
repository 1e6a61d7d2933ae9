import type { Clock } from '../../ports/clock.js';

/** The wall clock. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}
