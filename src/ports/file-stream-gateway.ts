import type { Identity } from '../domain/identity.js';

/** A file's bytes as a stream, whole (200) or one byte range (206). */
export interface FileStream {
  status: 200 | 206;
  contentType: string;
  /** Length of this body. */
  length?: number;
  /** `bytes start-end/size` on a 206. */
  contentRange?: string;
  body: ReadableStream<Uint8Array>;
}

/** The range asked for lies beyond the file. */
export interface UnsatisfiableRange {
  status: 416;
  contentRange?: string;
}

/** Streams file content from OneDrive, or a mail attachment's raw bytes from Outlook, without holding it in memory. */
export interface FileStreamGateway {
  /** `range` is a single `bytes=start-end` (either end optional), passed to OneDrive as is. */
  open(caller: Identity, itemId: string, range: string | undefined, signal?: AbortSignal): Promise<FileStream | UnsatisfiableRange>;
  /** A file attachment's bytes (`$value`); `range` is passed on, and Outlook may answer it with the whole file (200). */
  openAttachment(caller: Identity, messageId: string, attachmentId: string, range: string | undefined, signal?: AbortSignal): Promise<FileStream | UnsatisfiableRange>;
}
