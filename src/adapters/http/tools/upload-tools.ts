import { z } from 'zod';
import { invalidInput, payloadTooLarge } from '../../../domain/errors.js';
import { ATTACHMENT_FRAGMENT_BYTES, UPLOAD_ALIGNMENT_BYTES, type UploadStatus } from '../../../domain/upload-session.js';
import type { AppendUploadBytes } from '../../../domain/use-cases/append-upload-bytes.js';
import type { CancelUpload } from '../../../domain/use-cases/cancel-upload.js';
import type { GetUploadStatus } from '../../../domain/use-cases/get-upload-status.js';
import type { StartAttachmentUpload } from '../../../domain/use-cases/start-attachment-upload.js';
import type { StartUpload } from '../../../domain/use-cases/start-upload.js';
import { CREATES, READ_ONLY, defineTool, type ToolAnnotations, type ToolDefinition } from './tool-definition.js';
import { driveItem, folderInput, toFolderRef } from './schemas.js';

export const UPLOADS_PATH = '/uploads';

export interface UploadToolDeps {
  startUpload: StartUpload;
  startAttachmentUpload: StartAttachmentUpload;
  appendUploadBytes: AppendUploadBytes;
  getUploadStatus: GetUploadStatus;
  cancelUpload: CancelUpload;
  /** Largest decoded chunk accepted in one files_upload_chunk call. */
  inlineContentMaxBytes: number;
}

const uploadId = z.string().min(1).max(80).describe('From files_upload_start or mail_attachment_upload_start.');

const uploadStatus = z.object({
  uploadId: z.string(),
  status: z.enum(['active', 'completed', 'cancelled', 'expired', 'failed']),
  name: z.string(),
  size: z.number(),
  nextOffset: z.number().describe('Offset of the next chunk.'),
  committedBytes: z.number().describe('Stored by Graph so far.'),
  expiresAt: z.string(),
  // A reference, like other write tools return; files_get has the rest.
  item: driveItem.pick({ id: true, name: true, size: true, webUrl: true }).optional().describe('The file, once completed.'),
  attachmentId: z.string().optional(),
});
const listed = (s: UploadStatus): z.input<typeof uploadStatus> => {
  const { item, ...rest } = s;
  return item === undefined ? rest : { ...rest, item: { id: item.id, name: item.name, size: item.size, webUrl: item.webUrl } };
};

const started = {
  chunkBytes: z.number().describe('Recommended decoded chunk size.'),
  uploadPath: z.string().describe('Path on this server for a binary PUT (Content-Range to resume).'),
};

const CHUNK: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true };
const CANCEL: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true };

/**
 * Resumable uploads for clients that speak only MCP; programmatic clients can PUT the bytes to
 * /uploads/{id}. Two ways to start (a OneDrive file, a draft's attachment), one way to send bytes.
 */
export function uploadTools(deps: UploadToolDeps): ToolDefinition[] {
  const cap = deps.inlineContentMaxBytes;
  // A chunk that is a whole number of 320 KiB units passes straight through to OneDrive.
  const chunkBytes = cap >= UPLOAD_ALIGNMENT_BYTES ? cap - (cap % UPLOAD_ALIGNMENT_BYTES) : cap;
  return [
    defineTool({
      name: 'files_upload_start',
      family: 'files',
      title: 'Start a large file upload',
      description:
        'Start a resumable OneDrive upload of a file of known size (any size). Then send the bytes in order with files_upload_chunk ' +
        `(base64, at most ${cap} bytes decoded per call), or PUT them to uploadPath with the same bearer token.`,
      input: z.object({
        folder: folderInput.optional().describe('Path like /Documents or folder id; default the root.'),
        name: z.string().min(1).max(255).describe('File name, without path separators.'),
        size: z.number().int().describe('Exact file size in bytes (1 or more).'),
        conflict: z.enum(['fail', 'replace', 'rename']).default('fail').describe('If the name exists at completion.'),
      }),
      output: uploadStatus.extend(started),
      annotations: CREATES,
      run: async ({ caller }, input) => {
        const status = await deps.startUpload.execute(caller, {
          ...(input.folder ? { folder: toFolderRef(input.folder) } : {}),
          name: input.name,
          size: input.size,
          conflict: input.conflict,
        });
        return { ...listed(status), chunkBytes, uploadPath: `${UPLOADS_PATH}/${status.uploadId}` };
      },
    }),
    defineTool({
      name: 'mail_attachment_upload_start',
      family: 'mail',
      title: 'Attach a large file to a draft',
      description:
        'Attach a 3-150 MiB file to a draft (smaller: attachments of mail_update_draft). Send its bytes as after files_upload_start: ' +
        'files_upload_chunk calls of chunkBytes, or a binary PUT to uploadPath. The last byte attaches it.',
      input: z.object({
        messageId: z.string().min(1).max(512).describe('Draft id from mail_create_draft.'),
        name: z.string().min(1).max(255),
        size: z.number().int().describe('Exact size in bytes.'),
        contentType: z.string().max(255).optional().describe('MIME type.'),
      }),
      output: z.object({ uploadId: z.string(), expiresAt: z.string(), chunkBytes: z.number(), uploadPath: z.string() }),
      annotations: CREATES,
      run: async ({ caller }, input) => {
        const { uploadId, expiresAt } = await deps.startAttachmentUpload.execute(caller, input);
        // Outlook takes at most 4 MiB per PUT: bigger chunks would only be split.
        return { uploadId, expiresAt, chunkBytes: Math.min(chunkBytes, ATTACHMENT_FRAGMENT_BYTES), uploadPath: `${UPLOADS_PATH}/${uploadId}` };
      },
    }),
    defineTool({
      name: 'files_upload_chunk',
      family: 'files',
      sharedWith: ['mail'],
      title: 'Send a chunk of a large file upload',
      description:
        `Send the next bytes of an upload (base64, at most ${cap} bytes decoded) at offset = nextOffset. Safe to retry: ` +
        'bytes already received are skipped. After the last chunk, status is "completed" with the item or attachmentId.',
      input: z.object({
        uploadId,
        offset: z.number().int().describe('nextOffset of the previous answer.'),
        content: z.string().describe('Base64 (standard, padded).'),
      }),
      output: uploadStatus,
      annotations: CHUNK,
      run: async ({ caller }, input) => {
        const bytes = decodeChunk(input.content, cap);
        return listed(await deps.appendUploadBytes.execute(caller, { uploadId: input.uploadId, offset: input.offset, length: bytes.byteLength, source: once(bytes) }));
      },
    }),
    defineTool({
      name: 'files_upload_status',
      family: 'files',
      sharedWith: ['mail'],
      title: 'Check a large file upload',
      description: 'Where an upload stands: nextOffset to resume from, or the finished item.',
      input: z.object({ uploadId }),
      output: uploadStatus,
      annotations: READ_ONLY,
      run: async ({ caller }, input) => listed(await deps.getUploadStatus.execute(caller, input)),
    }),
    defineTool({
      name: 'files_upload_cancel',
      family: 'files',
      sharedWith: ['mail'],
      title: 'Cancel a large file upload',
      description: 'Cancel an unfinished upload; Graph discards the bytes received so far.',
      input: z.object({ uploadId }),
      output: uploadStatus,
      annotations: CANCEL,
      run: async ({ caller }, input) => listed(await deps.cancelUpload.execute(caller, input)),
    }),
  ];
}

/** Decodes a base64 chunk, refusing oversize content before allocating its decoded form. */
function decodeChunk(content: string, maxBytes: number): Uint8Array {
  if (Math.floor((content.length * 3) / 4) > maxBytes + 2) {
    throw payloadTooLarge('upload.chunkTooLarge', `A chunk may carry at most ${maxBytes} bytes; split it into smaller files_upload_chunk calls.`);
  }
  const bytes = Buffer.from(content, 'base64');
  // Node's decoder skips characters outside the alphabet, so a short result exposes them (one native pass, no regex over megabytes).
  const padding = content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0;
  if (content.length % 4 !== 0 || bytes.byteLength !== (content.length / 4) * 3 - padding) {
    throw invalidInput('upload.invalidBase64', 'content is not valid base64 (standard alphabet, padded).');
  }
  if (bytes.byteLength > maxBytes) {
    throw payloadTooLarge('upload.chunkTooLarge', `A chunk may carry at most ${maxBytes} bytes; split it into smaller files_upload_chunk calls.`);
  }
  return bytes;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
