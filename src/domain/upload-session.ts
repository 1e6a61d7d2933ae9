import type { ConflictBehavior, DriveItem, FolderRef } from './files.js';
import type { Identity } from './identity.js';

/** Graph accepts upload-session fragments in multiples of 320 KiB (only the last one may be shorter). */
export const UPLOAD_ALIGNMENT_BYTES = 327_680;
/** Graph refuses a fragment of 60 MiB or more. */
export const MAX_FRAGMENT_BYTES_EXCLUSIVE = 60 * 1024 * 1024;

export type UploadStatusName = 'active' | 'completed' | 'cancelled' | 'expired' | 'failed';

/**
 * One resumable upload, as the gateway remembers it between requests (and across replicas).
 * `uploadUrl` is a pre-authenticated capability: it never leaves the server and is never logged.
 */
export interface UploadSessionState {
  id: string;
  /** Only this user may see or continue the upload. */
  owner: { tenantId: string; objectId: string };
  folder: FolderRef;
  name: string;
  conflict: ConflictBehavior;
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
  /** The file, once complete. */
  item?: DriveItem;
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
  return status;
}

/** Whether a fragment size is acceptable to Graph: positive, a multiple of 320 KiB, under 60 MiB. */
export function isValidFragmentSize(bytes: number): boolean {
  return Number.isInteger(bytes) && bytes > 0 && bytes % UPLOAD_ALIGNMENT_BYTES === 0 && bytes < MAX_FRAGMENT_BYTES_EXCLUSIVE;
}
