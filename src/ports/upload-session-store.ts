import type { UploadSessionState } from '../domain/upload-session.js';

/**
 * Where resumable uploads live between requests, shared by every replica. Entries expire on their
 * own at `expiresAt` (plus a grace period the adapter chooses, so late callers get a clear answer).
 */
export interface UploadSessionStore {
  /** Stores a new session (version 1). */
  create(state: UploadSessionState): Promise<void>;
  get(id: string): Promise<UploadSessionState | null>;
  /**
   * Replaces the session if its stored version is still `expectedVersion`, writing `next` with
   * version `expectedVersion + 1`. Returns false when someone else wrote first (or it is gone).
   */
  update(next: UploadSessionState, expectedVersion: number): Promise<boolean>;
  delete(id: string): Promise<void>;
}
