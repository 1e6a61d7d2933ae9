import { createPrng } from './prng.js';
import type { FileContent } from './sandbox-tenant.js';

const WORDS = (
  'quarterly revenue forecast pipeline roadmap launch budget review customer feedback design sprint ' +
  'milestone contract renewal onboarding security audit migration dashboard metrics hiring offsite ' +
  'partner proposal invoice campaign analytics retention backlog release compliance training vendor'
).split(' ');

/**
 * Bytes of a seeded file, produced on demand so a tenant with thousands of files costs almost no memory.
 * Text files are ASCII prose (one byte a character); binary files are PRNG bytes.
 */
export function fileBytes(content: FileContent, size: number): Buffer {
  if (content.kind === 'bytes') return content.data;
  const prng = createPrng(content.seed);
  const out = Buffer.alloc(size);
  if (!content.textual) {
    for (let i = 0; i < size; i += 4) {
      const word = Math.floor(prng.next() * 4294967296);
      for (let j = 0; j < 4 && i + j < size; j++) out[i + j] = (word >>> (j * 8)) & 0xff;
    }
    return out;
  }
  let offset = 0;
  let column = 0;
  while (offset < size) {
    const word = prng.pick(WORDS);
    const sep = column > 70 ? '\n' : ' ';
    column = sep === '\n' ? 0 : column + word.length + 1;
    offset += out.write(word + sep, offset, 'ascii');
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** A plain-text rendering of an HTML body, the way Outlook serves `Prefer: outlook.body-content-type="text"`. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Stored bodies are HTML; a text body sent through sendMail is wrapped like Outlook does. */
export function textToHtml(text: string): string {
  return `<html><body><div>${escapeHtml(text).replace(/\r?\n/g, '<br>')}</div></body></html>`;
}

/** Graph's bodyPreview: the first 255 characters of the text body, whitespace collapsed. */
export function previewOf(html: string): string {
  return htmlToText(html).replace(/\s+/g, ' ').slice(0, 255);
}
