import type { Identity } from '../identity.js';
import { loadOwnedUpload } from '../upload-access.js';
import { toUploadStatus, type UploadStatus } from '../upload-session.js';
import type { Clock } from '../../ports/clock.js';
import type { UploadSessionStore } from '../../ports/upload-session-store.js';

/** Where an upload stands: the offset to continue from, or the finished item. */
export class GetUploadStatus {
  constructor(
    private readonly store: UploadSessionStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Identity, input: { uploadId: string }): Promise<UploadStatus> {
    const state = await loadOwnedUpload(this.store, caller, input.uploadId);
    const expired = state.status === 'active' && state.expiresAt <= this.clock.now();
    return toUploadStatus(expired ? { ...state, status: 'expired' } : state);
  }
}
