import { badRequest } from './graph-errors.js';
import type { StoredMessage } from './sandbox-tenant.js';

/** OData query options the sandbox understands, parsed the strict way Graph does. */

export function parseTop(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest('BadRequest', `Invalid value '${raw}' for query option $top.`);
  const top = Number(raw);
  if (top < 1 || top > max) throw badRequest('BadRequest', `The value of $top must be between 1 and ${max}.`);
  return top;
}

/** `$select=a,b` → ['a','b']; undefined when absent. */
export function parseSelect(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const fields = raw.split(',').map((f) => f.trim());
  for (const f of fields) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(f))
      throw badRequest('BadRequest', `Parsing OData Select and Expand failed: Syntax error at '${f}'.`);
  }
  return fields;
}

/** Keeps only selected properties; `id` and OData annotations always stay, as in Graph. */
export function applySelect(
  resource: Record<string, unknown>,
  select: readonly string[] | undefined,
): Record<string, unknown> {
  if (!select) return resource;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'id' || key.startsWith('@odata') || select.includes(key)) out[key] = value;
  }
  return out;
}

/** Opaque paging token: the sort key of the last item returned, so inserts between pages never repeat or skip items. */
export function encodeSkipToken(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeSkipToken(raw: string | undefined): Array<string | number> | undefined {
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
      return value;
  } catch {
    // fall through to the error below
  }
  throw badRequest('BadRequest', 'The $skiptoken is invalid.');
}

/** The same request URL with $skiptoken replaced: Graph's absolute @odata.nextLink. */
export function nextLink(requestUrl: string, skipToken: string): string {
  const url = new URL(requestUrl);
  url.searchParams.delete('$skiptoken');
  url.searchParams.delete('$skip');
  url.searchParams.set('$skiptoken', skipToken);
  return url.toString();
}

/** Parses `Prefer` (possibly several, comma-separated) into lower-cased name → unquoted value. */
export function parsePrefer(header: string | undefined): Map<string, string> {
  const prefs = new Map<string, string>();
  if (!header) return prefs;
  for (const part of header.split(',')) {
    const [name, ...rest] = part.split('=');
    if (!name) continue;
    prefs.set(
      name.trim().toLowerCase(),
      rest
        .join('=')
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return prefs;
}

export type MessagePredicate = (m: StoredMessage) => boolean;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function invalidFilter(detail: string): never {
  throw badRequest(
    'ErrorInvalidUrlQueryFilter',
    `The query filter contains one or more invalid nodes. ${detail}`,
  );
}

function clause(text: string): MessagePredicate {
  let m = /^(isRead|hasAttachments) eq (true|false)$/i.exec(text);
  if (m) {
    const value = m[2]?.toLowerCase() === 'true';
    return m[1]?.toLowerCase() === 'isread' ? (x) => x.isRead === value : (x) => x.hasAttachments === value;
  }
  m = /^receivedDateTime (ge|gt|le|lt|eq) (\S+)$/i.exec(text);
  if (m) {
    const op = (m[1] ?? '').toLowerCase();
    const literal = m[2] ?? '';
    if (!ISO_INSTANT.test(literal)) invalidFilter(`Invalid DateTimeOffset literal '${literal}'.`);
    const t = Date.parse(literal);
    const compare: Record<string, MessagePredicate> = {
      ge: (x) => x.receivedMs >= t,
      gt: (x) => x.receivedMs > t,
      le: (x) => x.receivedMs <= t,
      lt: (x) => x.receivedMs < t,
      eq: (x) => x.receivedMs === t,
    };
    return compare[op] ?? invalidFilter(text);
  }
  m = /^from\/emailAddress\/address eq '((?:[^']|'')*)'$/i.exec(text);
  if (m) {
    const address = (m[1] ?? '').replace(/''/g, "'").toLowerCase();
    return (x) => x.from.address.toLowerCase() === address;
  }
  return invalidFilter(`Unsupported clause '${text}'.`);
}

/** The `$filter` subset for messages: isRead, hasAttachments, receivedDateTime comparisons, sender address; joined with `and`. */
export function parseMessageFilter(raw: string | undefined): MessagePredicate | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const predicates = raw
    .trim()
    .split(/\s+and\s+/i)
    .map((part) => clause(part.trim().replace(/\s+/g, ' ')));
  return (m) => predicates.every((p) => p(m));
}

/** Graph renders most instants without fractional seconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * One page of `ordered` after the paging key: `isAfter` must be monotone along the order (false… then true…).
 * Returns up to `top` accepted items and whether more accepted items follow.
 */
export function pageAfter<T>(
  ordered: readonly T[],
  reverse: boolean,
  isAfter: ((item: T) => boolean) | undefined,
  accept: ((item: T) => boolean) | undefined,
  top: number,
): { items: T[]; more: boolean } {
  const items: T[] = [];
  let started = isAfter === undefined;
  for (let k = 0; k < ordered.length; k++) {
    const item = ordered[reverse ? ordered.length - 1 - k : k] as T;
    if (!started) {
      if (!isAfter?.(item)) continue;
      started = true;
    }
    if (accept && !accept(item)) continue;
    if (items.length === top) return { items, more: true };
    items.push(item);
  }
  return { items, more: false };
}
