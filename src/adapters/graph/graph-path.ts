import { DomainError } from '../../domain/errors.js';

function badSegment(): DomainError {
  return new DomainError('invalid_input', 'graph.invalidPathSegment', 'An id or name cannot be used in a Microsoft Graph path. Use the value exactly as returned by a list call.');
}

/** Percent-encodes one path segment; `.`, `..` and empty segments would re-address the URL. */
export function segment(value: string): string {
  if (value === '' || value === '.' || value === '..') throw badSegment();
  return encodeURIComponent(value);
}

/** Encodes a normalized drive path (`/Documents/Q1 Reports`) segment by segment, keeping the slashes. */
export function drivePath(path: string): string {
  const parts = path.split('/').filter((s) => s !== '');
  return parts.length === 0 ? '' : `/${parts.map(segment).join('/')}`;
}

/** Quotes a string literal for an OData `$filter`. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
