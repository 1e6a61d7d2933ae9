import type { Identity } from '../identity.js';
import { loadOwnedUpload, uploadEnded } from '../upload-access.js';
import { toUploadStatus, type UploadStatus } from '../upload-session.js';
import { DomainError } from '../errors.js';
import type { Clock } from '../../ports/clock.js';
import type { UploadSessionGateway } from '../../ports/upload-session-gateway.js';
import type { UploadSessionStore } from '../../ports/upload-session-store.js';

/** Cancels an upload: Graph deletes the session and its bytes. Cancelling twice is fine. */
export class CancelUpload {
  constructor(
    private readonly gateway: UploadSessionGateway,
    private readonly store: UploadSessionStore,
    private readonly clock: Clock,
  ) {}

  async execute(caller: Identity, input: { uploadId: string }): Promise<UploadStatus> {
    const state = await loadOwnedUpload(this.store, caller, input.uploadId);
    if (state.status === 'cancelled') return toUploadStatus(state);
    if (state.status === 'completed') throw uploadEnded(state);
    if (state.status === 'active') await this.gateway.cancel({ kind: state.target.kind, url: state.uploadUrl });
    const next = { ...state, status: 'cancelled' as const, tail: new Uint8Array(), updatedAt: this.clock.now() };
    if (!(await this.store.update(next, state.version))) {
      throw new DomainError('conflict', 'upload.concurrentWrite', 'The upload changed while it was being cancelled; check files_upload_status and cancel again.');
    }
    return toUploadStatus(next);
  }
}
