import { DomainError, invalidInput, notFound } from './errors.js';
import type { Identity } from './identity.js';
import { isOwner, serviceOf, startToolOf, type UploadSessionState, type UploadTarget } from './upload-session.js';
import type { UploadSessionStore } from '../ports/upload-session-store.js';

const UPLOAD_ID = /^up_[A-Za-z0-9_-]{16,64}$/;

export function newUploadId(): string {
  return `up_${globalThis.crypto.randomUUID().replace(/-/g, '')}`;
}

/**
 * The caller's upload, or not_found: another user's id gets exactly the answer a made-up id gets,
 * so ids cannot be probed.
 */
export async function loadOwnedUpload(store: UploadSessionStore, caller: Identity, uploadId: unknown): Promise<UploadSessionState> {
  if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) {
    throw invalidInput('upload.invalidId', 'uploadId is not a valid upload id; use the uploadId returned by files_upload_start or mail_attachment_upload_start.');
  }
  const state = await store.get(uploadId);
  if (state === null || !isOwner(state, caller)) throw uploadNotFound();
  return state;
}

export const uploadNotFound = (): DomainError =>
  notFound('upload.notFound', 'No such upload for this user (it may have ended long ago). Start a new one (files_upload_start or mail_attachment_upload_start).');

export const uploadExpired = (target: UploadTarget): DomainError =>
  notFound('upload.expired', `The upload session expired and ${serviceOf(target)} discarded its bytes. Start over with ${startToolOf(target)}.`);

/** The error for any call that needs an active upload but finds it ended. */
export function uploadEnded(state: UploadSessionState): DomainError {
  switch (state.status) {
    case 'completed': {
      const made = state.target.kind === 'file' ? `item ${state.item?.id ?? 'created'}` : `attachment ${state.attachmentId ?? 'added'}`;
      return new DomainError('conflict', 'upload.alreadyCompleted', `The upload is already complete (${made}); no more bytes are accepted.`);
    }
    case 'cancelled':
      return new DomainError('conflict', 'upload.cancelled', `The upload was cancelled. Start a new one with ${startToolOf(state.target)}.`);
    case 'expired':
      return uploadExpired(state.target);
    default:
      return new DomainError('conflict', 'upload.failed', `The upload failed and cannot continue. Start a new one with ${startToolOf(state.target)}.`);
  }
}
