import { invalidInput } from './errors.js';

const MAX_ID_LENGTH = 1024;

/**
 * Validates an opaque Graph id (message, event, drive item) before it becomes a URL segment.
 * Adapters also encode segments; refusing `.`/`..` and control characters here keeps an id from
 * ever addressing another resource.
 */
export function requireGraphId(value: unknown, code: string, what: string): string {
  if (typeof value !== 'string') throw invalidInput(code, `${what} must be a string id returned by a previous call.`);
  const id = value.trim();
  // eslint-disable-next-line no-control-regex
  if (id === '' || id.length > MAX_ID_LENGTH || id === '.' || id === '..' || /[\s\u0000-\u001f\u007f]/.test(id)) {
    throw invalidInput(code, `${what} is not a valid id. Use the id exactly as returned by a list or search call.`);
  }
  return id;
}
