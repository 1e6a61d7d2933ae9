import { z } from 'zod';
import { invalidInput, payloadTooLarge } from '../../../domain/errors.js';
import type { DownloadFile } from '../../../domain/use-cases/download-file.js';
import { DEFAULT_LIST_DRIVE_ITEMS_LIMITS, type ListDriveItems } from '../../../domain/use-cases/list-drive-items.js';
import type { UploadFile } from '../../../domain/use-cases/upload-file.js';
import { CREATES, READ_ONLY, defineTool, type ToolDefinition } from './tool-definition.js';
import { cursorInput, driveItem, folderInput, idempotencyKeyInput, nextCursor, pageSizeInput, toFolderRef } from './schemas.js';

export interface FilesToolDeps {
  listDriveItems: ListDriveItems;
  downloadFile: DownloadFile;
  uploadFile: UploadFile;
  /** Largest decoded inline content accepted in a tool argument. */
  inlineContentMaxBytes: number;
}

export function filesTools(deps: FilesToolDeps): ToolDefinition[] {
  const inlineMiB = (deps.inlineContentMaxBytes / 1024 / 1024).toFixed(1);
  return [
    defineTool({
      name: 'files_list',
      family: 'files',
      title: 'List files in a OneDrive folder',
      description: 'List the files and folders in a OneDrive folder. Page with nextCursor.',
      input: z.object({
        folder: folderInput.optional().describe('Path like /Documents or folder id; default the root.'),
        pageSize: pageSizeInput(DEFAULT_LIST_DRIVE_ITEMS_LIMITS.maxPageSize, DEFAULT_LIST_DRIVE_ITEMS_LIMITS.defaultPageSize),
        cursor: cursorInput,
      }),
      output: z.object({ items: z.array(driveItem), nextCursor }),
      annotations: READ_ONLY,
      run: async ({ caller }, { folder, ...input }) => {
        const page = await deps.listDriveItems.execute(caller, { ...input, ...(folder ? { folder: toFolderRef(folder) } : {}) });
        return { items: page.items, nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'files_download',
      family: 'files',
      title: 'Download a file',
      description:
        `Get a file's content by item id: UTF-8 text inline, other files as base64. Files over ${inlineMiB} MiB come back as ` +
        'encoding "link" with a short-lived downloadUrl (GET it with the same bearer token; Range requests work).',
      input: z.object({ itemId: z.string().min(1).max(256).describe('File item id from files_list or search_query.') }),
      output: z.object({
        item: driveItem,
        encoding: z.enum(['text', 'base64', 'link']),
        content: z.string().describe('The content; empty when encoding is "link".'),
        downloadUrl: z.string().optional().describe('encoding "link" only: URL of the bytes, for the same user, until expiresAt.'),
        expiresAt: z.string().optional(),
      }),
      annotations: READ_ONLY,
      run: ({ caller }, input) => deps.downloadFile.execute(caller, input),
    }),
    defineTool({
      name: 'files_upload',
      family: 'files',
      title: 'Upload a small file',
      description: `Create or replace a file in OneDrive from text or base64 content (at most ${inlineMiB} MiB). Pass idempotency_key to make retries safe.`,
      input: z.object({
        folder: folderInput.optional().describe('Path like /Documents or folder id; default the root.'),
        name: z.string().min(1).max(255).describe('File name, without path separators.'),
        content: z.string().describe('The file content, encoded as `encoding` says.'),
        encoding: z.enum(['text', 'base64']).default('text').describe('text: UTF-8 text; base64: binary.'),
        conflict: z.enum(['fail', 'replace', 'rename']).default('fail').describe('If a file with that name exists.'),
        idempotency_key: idempotencyKeyInput,
      }),
      output: driveItem,
      annotations: CREATES,
      run: ({ caller }, input) =>
        deps.uploadFile.execute(caller, {
          ...(input.folder ? { folder: toFolderRef(input.folder) } : {}),
          name: input.name,
          content: decodeInline(input.content, input.encoding, deps.inlineContentMaxBytes),
          conflict: input.conflict,
        }),
    }),
  ];
}

/** Decodes inline content, refusing oversize content before allocating its decoded form. */
function decodeInline(content: string, encoding: 'text' | 'base64', maxBytes: number): Uint8Array {
  const estimated = encoding === 'base64' ? Math.floor((content.length * 3) / 4) : Buffer.byteLength(content, 'utf8');
  if (estimated > maxBytes) {
    throw payloadTooLarge(
      'files.inlineTooLarge',
      `Inline content is limited to ${maxBytes} bytes. Use files_upload_start and files_upload_chunk for larger files.`,
    );
  }
  if (encoding === 'text') return Buffer.from(content, 'utf8');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0) {
    throw invalidInput('files.invalidBase64', 'content is not valid base64 (standard alphabet, padded).');
  }
  return Buffer.from(content, 'base64');
}
