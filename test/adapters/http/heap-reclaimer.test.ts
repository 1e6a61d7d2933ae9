import { describe, expect, it } from 'vitest';
import { HeapReclaimer, type GcFunction } from '../../../src/adapters/http/heap-reclaimer.js';

const MiB = 1024 * 1024;

function recordingGc(): { gc: GcFunction; calls: unknown[] } {
  const calls: unknown[] = [];
  return { gc: (options) => calls.push(options), calls };
}

describe('HeapReclaimer', () => {
  it('asks for one asynchronous major collection per `everyBytes` of large bodies', () => {
    const { gc, calls } = recordingGc();
    const reclaimer = new HeapReclaimer(gc, 16 * MiB);
    for (let i = 0; i < 3; i++) reclaimer.finished(5 * MiB);
    expect(calls).toHaveLength(0);
    reclaimer.finished(5 * MiB);
    expect(calls).toEqual([{ type: 'major', execution: 'async' }]);
    for (let i = 0; i < 4; i++) reclaimer.finished(5 * MiB);
    expect(calls).toHaveLength(2);
  });

  it('ignores small bodies, which never become large objects', () => {
    const { gc, calls } = recordingGc();
    const reclaimer = new HeapReclaimer(gc, 1 * MiB);
    for (let i = 0; i < 1000; i++) reclaimer.finished(100 * 1024);
    expect(calls).toHaveLength(0);
  });

  it('does nothing when switched off or when Node runs without --expose-gc', () => {
    const { gc, calls } = recordingGc();
    new HeapReclaimer(gc, 0).finished(64 * MiB);
    expect(calls).toHaveLength(0);
    expect(() => new HeapReclaimer(undefined, 16 * MiB).finished(64 * MiB)).not.toThrow();
  });
});
