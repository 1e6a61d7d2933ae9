import { DomainError } from '../../domain/errors.js';
import { tidyText } from '../../domain/text.js';

/** Small readers for untrusted Graph JSON: a missing field becomes a default, never a crash. */

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown): boolean {
  return value === true;
}

/** The id every Graph resource has; its absence means a malformed response. */
export function requireId(raw: Json): string {
  const id = str(raw.id);
  if (id === undefined || id === '') {
    throw new DomainError('unavailable', 'graph.badResponse', 'Microsoft Graph sent an item without an id. Retry in a moment.');
  }
  return id;
}

/** An ISO instant normalized to UTC (`...Z`), or undefined when absent or unparseable. */
export function isoDate(value: unknown): string | undefined {
  const s = str(value);
  if (s === undefined) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function plain(value: unknown): string {
  return tidyText(str(value) ?? '');
}

/** Graph list responses: `value` plus an optional `@odata.nextLink`. */
export function listOf(body: unknown): { items: Json[]; nextLink?: string } {
  const b = obj(body);
  const nextLink = str(b['@odata.nextLink']);
  const items = arr(b.value).map(obj);
  return nextLink === undefined ? { items } : { items, nextLink };
}
