import { Hono } from 'hono';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { badRequest } from '../graph-errors.js';
import { eventJson } from '../graph-json.js';
import {
  applySelect,
  decodeSkipToken,
  encodeSkipToken,
  nextLink,
  pageAfter,
  parsePrefer,
  parseSelect,
  parseTop,
} from '../odata.js';
import type { StoredEvent } from '../sandbox-tenant.js';
import { resolveTimeZone } from '../time-zones.js';
import type { RouteDeps } from './route-deps.js';
import { odataContext } from './route-deps.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** calendarView's parameters are case-insensitive in Graph (`StartDateTime` works too). */
function queryInsensitive(c: SandboxContext, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of new URL(c.req.url).searchParams) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

function parseInstant(raw: string, name: string): number {
  // Without an offset Graph reads the value as UTC.
  const normalized = /T/.test(raw)
    ? /(Z|[+-]\d{2}:\d{2})$/.test(raw)
      ? raw
      : `${raw}Z`
    : `${raw}T00:00:00Z`;
  const ms = DATE_TIME.test(raw) ? Date.parse(normalized) : Number.NaN;
  if (Number.isNaN(ms))
    throw badRequest('ErrorInvalidParameter', `The value '${raw}' of parameter '${name}' is invalid.`);
  return ms;
}

export function timeZoneOf(c: SandboxContext): { iana: string; label: string } {
  const requested = parsePrefer(c.req.header('prefer')).get('outlook.timezone');
  if (requested === undefined) return { iana: 'UTC', label: 'UTC' };
  const iana = resolveTimeZone(requested);
  if (!iana)
    throw badRequest(
      'ErrorTimeZoneNotSupported',
      `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${requested}'.`,
    );
  c.header('Preference-Applied', `outlook.timezone="${requested}"`);
  return { iana, label: requested };
}

export function calendarRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/me/calendarView', (c) => {
    requireScope(c, 'exchange', 'Calendars.Read', 'Calendars.ReadBasic');
    const startRaw = queryInsensitive(c, 'startDateTime');
    const endRaw = queryInsensitive(c, 'endDateTime');
    if (startRaw === undefined || endRaw === undefined) {
      throw badRequest(
        'ErrorInvalidParameter',
        'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
      );
    }
    const start = parseInstant(startRaw, 'startDateTime');
    const end = parseInstant(endRaw, 'endDateTime');
    const top = parseTop(c.req.query('$top'), 10, 1000);
    const select = parseSelect(c.req.query('$select'));
    const orderBy = c.req.query('$orderby');
    const m =
      orderBy === undefined ? ['', undefined] : /^start\/dateTime(?:\s+(asc|desc))?$/i.exec(orderBy.trim());
    if (!m) throw badRequest('BadRequest', `The $orderby expression '${orderBy ?? ''}' is not supported.`);
    const descending = m[1]?.toLowerCase() === 'desc';
    const zone = timeZoneOf(c);
    const token = decodeSkipToken(c.req.query('$skiptoken'));
    let isAfter: ((e: StoredEvent) => boolean) | undefined;
    if (token) {
      const [ms, id] = token as [number, string];
      isAfter = descending
        ? (e) => e.startMs < ms || (e.startMs === ms && e.id < id)
        : (e) => e.startMs > ms || (e.startMs === ms && e.id > id);
    }
    const overlaps = (e: StoredEvent): boolean => e.startMs < end && e.endMs > start;
    const { items, more } = pageAfter(
      deps.tenant.calendar(c.get('user').id).sorted,
      descending,
      isAfter,
      overlaps,
      top,
    );
    const body: Record<string, unknown> = {
      '@odata.context': odataContext(c.req.url, `users('${c.get('user').id}')/calendarView`),
      value: items.map((e) => applySelect(eventJson(e, zone, deps.webBase), select)),
    };
    const last = items[items.length - 1];
    if (more && last) body['@odata.nextLink'] = nextLink(c.req.url, encodeSkipToken([last.startMs, last.id]));
    return c.json(body);
  });
  return app;
}
