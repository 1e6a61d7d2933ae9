import type { ConflictBehavior, DriveItem, FolderRef } from '../domain/files.js';
import type { Identity } from '../domain/identity.js';

export interface CreatedUploadSession {
  uploadUrl: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Graph's answer to one fragment: more wanted (202), or the finished file (200/201). */
export type FragmentOutcome =
  | { kind: 'incomplete'; nextExpected: number; expiresAt?: number }
  | { kind: 'complete'; item: DriveItem };

export interface RemoteUploadProgress {
  /** Start of the first missing range. */
  nextExpected: number;
  expiresAt?: number;
}

/** OneDrive upload sessions (driveItem: createUploadSession and its upload URL). */
export interface UploadSessionGateway {
  create(caller: Identity, folder: FolderRef, name: string, conflict: ConflictBehavior, size: number): Promise<CreatedUploadSession>;
  /** Sends bytes [start, start + bytes.length) of a file of `total` bytes. */
  putFragment(uploadUrl: string, start: number, total: number, bytes: Uint8Array): Promise<FragmentOutcome>;
  /** What Graph has of a file of `total` bytes: asked after a failed or timed-out fragment. */
  progress(uploadUrl: string, total: number): Promise<RemoteUploadProgress>;
  /** Deletes the session and its bytes; a session already gone is not an error. */
  cancel(uploadUrl: string): Promise<void>;
}
