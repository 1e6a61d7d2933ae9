import type { DriveItem, FileContent } from './files.js';

const TEXT_MIME = /^(text\/|application\/(json|xml|javascript|ecmascript|x-yaml|yaml|x-sh|sql|graphql|ld\+json|x-ndjson)\b|image\/svg\+xml)/i;
const TEXT_EXTENSIONS = new Set([
  'txt', 'md', 'markdown', 'csv', 'tsv', 'json', 'jsonl', 'ndjson', 'xml', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf',
  'log', 'html', 'htm', 'css', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'py', 'rb', 'go', 'rs', 'java', 'kt', 'c', 'h',
  'cpp', 'hpp', 'cs', 'sh', 'ps1', 'bat', 'sql', 'svg', 'vtt', 'srt', 'tex', 'rst', 'properties', 'env',
]);

/** Whether metadata says the item is text (MIME type first, then extension). */
export function looksLikeText(item: Pick<DriveItem, 'name' | 'mimeType'>): boolean {
  if (item.mimeType !== undefined && TEXT_MIME.test(item.mimeType)) return true;
  const dot = item.name.lastIndexOf('.');
  return dot > 0 && TEXT_EXTENSIONS.has(item.name.slice(dot + 1).toLowerCase());
}

/** Returns text for text items that are valid UTF-8, base64 for everything else. */
export function toFileContent(item: DriveItem, bytes: Uint8Array): FileContent {
  if (looksLikeText(item)) {
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      if (!text.includes('\u0000')) return { item, encoding: 'text', content: text };
    } catch {
      // Not UTF-8 (e.g. a Latin-1 CSV): fall through to base64 so no byte is lost.
    }
  }
  return { item, encoding: 'base64', content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
}
