import { invalidInput } from './errors.js';
import type { ConflictBehavior, DriveItem, FolderRef } from './files.js';
import type { Identity } from './identity.js';

/** Graph accepts upload-session fragments in multiples of 320 KiB (only the last one may be shorter). */
export const UPLOAD_ALIGNMENT_BYTES = 327_680;
/** Graph refuses a fragment of 60 MiB or more. */
export const MAX_FRAGMENT_BYTES_EXCLUSIVE = 60 * 1024 * 1024;

/** Outlook takes attachments of 3 MB to 150 MB through an upload session (smaller ones inline), in PUTs of up to 4 MB. */
export const ATTACHMENT_UPLOAD_MIN_BYTES = 3 * 1024 * 1024;
export const ATTACHMENT_UPLOAD_MAX_BYTES = 150 * 1024 * 1024;
/** Largest whole number of 320 KiB units within Outlook's 4 MiB per PUT (Outlook needs no alignment; it keeps one code path). */
export const ATTACHMENT_FRAGMENT_BYTES = 12 * UPLOAD_ALIGNMENT_BYTES;

/**
 * Where the bytes end up: a new OneDrive file, or a file attachment of a draft message. The two
 * services take fragments alike but answer them differently (see UploadSessionGateway).
 */
export type UploadTarget =
  | { kind: 'file'; folder: FolderRef; conflict: ConflictBehavior }
  | { kind: 'attachment'; messageId: string; contentType: string };

export type UploadStatusName = 'active' | 'completed' | 'cancelled' | 'expired' | 'failed';

/**
 * One resumable upload, as the gateway remembers it between requests (and across replicas).
 * `uploadUrl` is a pre-authenticated capability: it never leaves the server and is never logged.
 */
export interface UploadSessionState {
  id: string;
  /** Only this user may see or continue the upload. */
  owner: { tenantId: string; objectId: string };
  target: UploadTarget;
  name: string;
  size: number;
  uploadUrl: string;
  /** Bytes Graph has acknowledged: its next expected offset. */
  committed: number;
  /** Received bytes not yet sent because they do not fill a 320 KiB unit (always < 320 KiB). */
  tail: Uint8Array;
  status: UploadStatusName;
  /** Epoch ms after which Graph forgets the session. */
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
  /** The file, once a OneDrive upload is complete. */
  item?: DriveItem;
  /** The attachment's id, once an attachment upload is complete (when Outlook tells it). */
  attachmentId?: string;
  /** Bumped on every write; stores update only when it is unchanged (compare-and-set). */
  version: number;
}

/** What callers see of an upload. */
export interface UploadStatus {
  uploadId: string;
  status: UploadStatusName;
  name: string;
  size: number;
  /** Send the next bytes from here (bytes the gateway has received). */
  nextOffset: number;
  /** Bytes already stored by OneDrive. */
  committedBytes: number;
  expiresAt: string;
  item?: DriveItem;
  attachmentId?: string;
}

export function receivedBytes(state: Pick<UploadSessionState, 'committed' | 'tail'>): number {
  return state.committed + state.tail.byteLength;
}

export function isOwner(state: Pick<UploadSessionState, 'owner'>, caller: Pick<Identity, 'tenantId' | 'objectId'>): boolean {
  return state.owner.tenantId === caller.tenantId && state.owner.objectId === caller.objectId;
}

export function toUploadStatus(state: UploadSessionState): UploadStatus {
  const status: UploadStatus = {
    uploadId: state.id,
    status: state.status,
    name: state.name,
    size: state.size,
    nextOffset: state.status === 'completed' ? state.size : receivedBytes(state),
    committedBytes: state.status === 'completed' ? state.size : state.committed,
    expiresAt: new Date(state.expiresAt).toISOString(),
  };
  if (state.item !== undefined) status.item = state.item;
  if (state.attachmentId !== undefined) status.attachmentId = state.attachmentId;
  return status;
}

/** A declared file size: a whole number of bytes, 0 or more (each kind of upload sets its own bounds). */
export function requireUploadSize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidInput('upload.invalidSize', 'size must be the file size in bytes: a whole number, 1 or more.');
  }
  return value;
}

/** A new, empty upload of `size` bytes for its caller, over a session Graph just opened. */
export function newUploadState(
  init: { id: string; caller: Pick<Identity, 'tenantId' | 'objectId'>; target: UploadTarget; name: string; size: number },
  session: { uploadUrl: string; expiresAt: number },
  now: number,
): UploadSessionState {
  return {
    id: init.id,
    owner: { tenantId: init.caller.tenantId, objectId: init.caller.objectId },
    target: init.target,
    name: init.name,
    size: init.size,
    uploadUrl: session.uploadUrl,
    committed: 0,
    tail: new Uint8Array(),
    status: 'active',
    expiresAt: session.expiresAt,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The service holding the bytes, for messages. */
export function serviceOf(target: UploadTarget): 'OneDrive' | 'Outlook' {
  return target.kind === 'file' ? 'OneDrive' : 'Outlook';
}

/** The tool that starts an upload of this kind, for messages that ask to start over. */
export function startToolOf(target: UploadTarget): string {
  return target.kind === 'file' ? 'files_upload_start' : 'mail_attachment_upload_start';
}

/** Whether a fragment size is acceptable to Graph: positive, a multiple of 320 KiB, under 60 MiB. */
export function isValidFragmentSize(bytes: number): boolean {
  return Number.isInteger(bytes) && bytes > 0 && bytes % UPLOAD_ALIGNMENT_BYTES === 0 && bytes < MAX_FRAGMENT_BYTES_EXCLUSIVE;
}
