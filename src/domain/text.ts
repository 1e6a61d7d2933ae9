/**
 * Plain-text helpers for content we hand to an assistant: HTML bodies become readable text,
 * search highlight markup disappears, and long text is cut without splitting a character.
 * The output is never rendered as HTML, so this aims at readability, not sanitizing.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  deg: '°',
  times: '×',
  divide: '÷',
  laquo: '«',
  raquo: '»',
  shy: '',
  zwnj: '',
  zwj: '',
};

/** Decodes HTML character references; unknown or invalid ones stay as written. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** C0/C1 control characters other than tab and newline, which no plain-text consumer needs. */
// eslint-disable-next-line no-control-regex
const STRAY_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Normalizes line ends, drops stray control characters, trims lines and collapses blank runs. */
export function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(STRAY_CONTROLS, '')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Converts an HTML body (mail, event) to readable plain text. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|title|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(td|th)\s*>/gi, '\t')
    .replace(/<\/?(p|div|h[1-6]|ul|ol|table|tr|blockquote|pre|section|article|header|footer|hr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return tidyText(decodeHtmlEntities(text));
}

/** Removes Microsoft Search highlight markup (`<c0>term</c0>`, `<ddd/>`) from a snippet. */
export function stripSearchHighlights(snippet: string): string {
  const text = snippet
    .replace(/<ddd\s*\/>/gi, '…')
    .replace(/<\/?c\d+\s*>/gi, '')
    .replace(/<[^>]*>/g, '');
  return tidyText(decodeHtmlEntities(text));
}

export interface Truncated {
  text: string;
  truncated: boolean;
}

/** Cuts `text` to at most `maxChars` UTF-16 units without splitting a surrogate pair. */
export function truncateText(text: string, maxChars: number): Truncated {
  if (text.length <= maxChars) return { text, truncated: false };
  let end = Math.max(0, maxChars);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true };
}

/** True when the string holds a C0/C1 control character (newlines and tabs included). */
export function hasControlChars(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f]/.test(value);
}

/** True when the string holds an unpaired UTF-16 surrogate (not valid Unicode text). */
export function hasLoneSurrogate(value: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

/** Bidirectional overrides and isolates, used to disguise names (`invoice\u202Efdp.exe`). */
export function hasBidiControls(value: string): boolean {
  return /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/.test(value);
}

const encoder = new TextEncoder();

/** Size of a string once encoded as UTF-8. */
export function utf8Length(value: string): number {
  return encoder.encode(value).byteLength;
}
