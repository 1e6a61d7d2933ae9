import type { ConflictBehavior, DriveItem, FolderRef } from '../domain/files.js';
import type { Identity } from '../domain/identity.js';
import type { UploadTarget } from '../domain/upload-session.js';

export interface CreatedUploadSession {
  uploadUrl: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** A pre-authenticated upload URL and the service behind it: OneDrive and Outlook answer fragments differently. */
export interface UploadUrl {
  kind: UploadTarget['kind'];
  url: string;
}

/** Graph's answer to one fragment: more wanted, or done (the new file, or the new attachment's id when Outlook names it). */
export type FragmentOutcome =
  | { kind: 'incomplete'; nextExpected: number; expiresAt?: number }
  | { kind: 'complete'; item?: DriveItem; attachmentId?: string };

export interface RemoteUploadProgress {
  /** Start of the first missing range. */
  nextExpected: number;
  expiresAt?: number;
}

export interface AttachmentUploadItem {
  name: string;
  size: number;
  contentType: string;
}

/** Upload sessions: OneDrive's (driveItem: createUploadSession) and Outlook's (attachment: createUploadSession), and their upload URLs. */
export interface UploadSessionGateway {
  create(caller: Identity, folder: FolderRef, name: string, conflict: ConflictBehavior, size: number): Promise<CreatedUploadSession>;
  /** A session that attaches a file of `attachment.size` bytes to a message once every byte arrived. */
  createForAttachment(caller: Identity, messageId: string, attachment: AttachmentUploadItem): Promise<CreatedUploadSession>;
  /** Sends bytes [start, start + bytes.length) of a file of `total` bytes. */
  putFragment(upload: UploadUrl, start: number, total: number, bytes: Uint8Array): Promise<FragmentOutcome>;
  /** What Graph has of a file of `total` bytes: asked after a failed or timed-out fragment. */
  progress(upload: UploadUrl, total: number): Promise<RemoteUploadProgress>;
  /** Deletes the session and its bytes; a session already gone is not an error. */
  cancel(upload: UploadUrl): Promise<void>;
}
