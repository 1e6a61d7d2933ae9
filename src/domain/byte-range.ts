const SINGLE_RANGE = /^bytes=(\d{1,15})?-(\d{1,15})?$/;

/**
 * An HTTP `Range` header worth passing on: exactly one `bytes=a-b` range (either end optional).
 * Anything else is dropped, so the whole content is sent, as HTTP allows.
 */
export function singleByteRange(range: string | undefined): string | undefined {
  const value = range?.trim();
  const m = value === undefined ? null : SINGLE_RANGE.exec(value);
  return m !== null && (m[1] !== undefined || m[2] !== undefined) ? value : undefined;
}
