import { Hono } from 'hono';
import type { SandboxEnv } from '../context.js';
import { badRequest } from '../graph-errors.js';
import type { FaultController } from '../faults.js';
import type { RequestStats } from '../request-stats.js';

/** Test-only control plane (no auth): faults and request counters. Never part of Graph's surface. */
export function sandboxControlRoutes(faults: FaultController, stats: RequestStats): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/_sandbox/faults', (c) => c.json({ faults: faults.current() ?? null }));
  app.post('/_sandbox/faults', async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw badRequest('BadRequest', 'Fault configuration must be JSON.');
    }
    try {
      return c.json({ faults: faults.set(raw as Parameters<FaultController['set']>[0]) });
    } catch (error) {
      throw badRequest(
        'BadRequest',
        `Invalid fault configuration: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
  app.delete('/_sandbox/faults', (c) => {
    faults.clear();
    return c.body(null, 204);
  });
  app.get('/_sandbox/stats', (c) => c.json(stats.snapshot()));
  app.delete('/_sandbox/stats', (c) => {
    stats.reset();
    return c.body(null, 204);
  });
  return app;
}
