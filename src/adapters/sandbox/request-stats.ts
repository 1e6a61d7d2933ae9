/** Per "METHOD /path/template" request counters with timestamps, so tests can measure request rates at the sandbox. */
export interface RouteStats {
  count: number;
  /** Epoch ms of the most recent requests (at most MAX_TIMESTAMPS). */
  timestamps: number[];
}

const MAX_TIMESTAMPS = 10_000;

export class RequestStats {
  private readonly routes = new Map<string, RouteStats>();
  private total = 0;
  private inFlight = 0;
  private maxInFlight = 0;

  /** A request started being served (pair with `end`): lets tests check concurrency caps. */
  begin(): void {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  end(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  record(method: string, template: string, atMs: number): void {
    const key = `${method} ${template}`;
    let stats = this.routes.get(key);
    if (!stats) {
      stats = { count: 0, timestamps: [] };
      this.routes.set(key, stats);
    }
    stats.count += 1;
    stats.timestamps.push(atMs);
    if (stats.timestamps.length > MAX_TIMESTAMPS)
      stats.timestamps.splice(0, stats.timestamps.length - MAX_TIMESTAMPS);
    this.total += 1;
  }

  snapshot(): { total: number; inFlight: number; maxInFlight: number; routes: Record<string, RouteStats> } {
    const routes: Record<string, RouteStats> = {};
    for (const [key, value] of this.routes) routes[key] = { count: value.count, timestamps: [...value.timestamps] };
    return { total: this.total, inFlight: this.inFlight, maxInFlight: this.maxInFlight, routes };
  }

  reset(): void {
    this.routes.clear();
    this.total = 0;
    this.maxInFlight = this.inFlight;
  }
}

/** Collapses ids and drive paths so counts group by endpoint: `/v1.0/me/messages/{id}`, `/v1.0/me/drive/root:{path}:/children`. */
export function pathTemplate(path: string): string {
  return path
    .replace(/:\/[^:]*(:|$)/, ':{path}$1')
    .replace(/(items\/)[^/:]+/, '$1{id}')
    .replace(/(messages\/)[^/]+/, '$1{id}')
    .replace(/(mailFolders\/)[^/]+/, '$1{folder}')
    .replace(/(\/_sandbox\/download\/)[^/]+/, '$1{token}');
}
