import { DomainError, invalidInput, isDomainError } from '../errors.js';
import type { Identity } from '../identity.js';
import { loadOwnedUpload, uploadEnded, uploadExpired } from '../upload-access.js';
import {
  ATTACHMENT_FRAGMENT_BYTES,
  isValidFragmentSize,
  receivedBytes,
  serviceOf,
  toUploadStatus,
  UPLOAD_ALIGNMENT_BYTES,
  type UploadSessionState,
  type UploadStatus,
} from '../upload-session.js';
import type { Clock } from '../../ports/clock.js';
import type { FragmentOutcome, UploadSessionGateway, UploadUrl } from '../../ports/upload-session-gateway.js';
import type { UploadSessionStore } from '../../ports/upload-session-store.js';

export interface AppendUploadBytesInput {
  uploadId: string;
  /** Position in the file of the first byte of `source`. */
  offset: number;
  /** The bytes from `offset` on, in pieces of any size (one decoded tool chunk, or an HTTP body). */
  source: AsyncIterable<Uint8Array>;
  /** How many bytes `source` yields, when known before reading it. */
  length?: number;
}

export interface AppendUploadBytesOptions {
  /** Bytes per Graph request: a multiple of 320 KiB under 60 MiB (at most 12 units for Outlook, which takes 4 MiB per PUT). */
  fragmentBytes: number;
  /** Tries per fragment when the connection fails or Graph is briefly unavailable. */
  maxAttempts?: number;
}

/** The store changed under us: another request wrote to the same upload. */
class ConcurrentWrite extends Error {}

/**
 * Appends bytes to an upload at `offset` and forwards them to OneDrive (or Outlook, for an
 * attachment) in 320 KiB-aligned fragments.
 *
 * - Idempotent on (upload, offset): bytes the gateway already has are skipped, so a retried chunk
 *   or a resumed stream never sends anything twice.
 * - Memory stays bounded: at most one fragment in flight plus the next one being filled.
 * - Progress is saved after every fragment, and the unaligned remainder (< 320 KiB) is saved with
 *   the session, so any replica can continue after a crash.
 * - A failed or timed-out fragment is recovered by asking OneDrive which bytes it has.
 */
export class AppendUploadBytes {
  private readonly fragmentBytes: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly gateway: UploadSessionGateway,
    private readonly store: UploadSessionStore,
    private readonly clock: Clock,
    options: AppendUploadBytesOptions,
  ) {
    if (!isValidFragmentSize(options.fragmentBytes)) throw new Error('fragmentBytes must be a multiple of 327680 under 60 MiB');
    this.fragmentBytes = options.fragmentBytes;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  async execute(caller: Identity, input: AppendUploadBytesInput): Promise<UploadStatus> {
    const { offset, length } = input;
    if (!Number.isSafeInteger(offset) || offset < 0) throw invalidInput('upload.invalidOffset', 'offset must be a whole number, 0 or more.');
    if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
      throw invalidInput('upload.invalidLength', 'The chunk length must be a whole number, 0 or more.');
    }
    const state = await loadOwnedUpload(this.store, caller, input.uploadId);
    if (state.status === 'completed' && length !== undefined && offset + length <= state.size) return toUploadStatus(state);
    if (state.status !== 'active') throw uploadEnded(state);
    if (state.expiresAt <= this.clock.now()) {
      await this.save(state, { status: 'expired' }).catch(() => undefined);
      throw uploadExpired(state.target);
    }
    const received = receivedBytes(state);
    if (offset > received) {
      throw invalidInput('upload.wrongOffset', `The upload has ${received} bytes so far; send the bytes from offset ${received} next (files_upload_status tells the offset).`);
    }
    if (length !== undefined && offset + length > state.size) {
      throw invalidInput('upload.beyondSize', `The chunk ends at byte ${offset + length}, past the declared size of ${state.size} bytes.`);
    }
    // Everything in this chunk arrived before: a retry. Answer as the first call did.
    if (length !== undefined && offset + length <= received) return toUploadStatus(state);

    try {
      return toUploadStatus(await this.append(state, offset, input.source));
    } catch (error) {
      if (!(error instanceof ConcurrentWrite)) throw error;
      // A concurrent duplicate of this very chunk may have won the race: then this call succeeded too.
      const fresh = await loadOwnedUpload(this.store, caller, input.uploadId);
      const covered = fresh.status === 'completed' || receivedBytes(fresh) >= offset + (length ?? Number.POSITIVE_INFINITY);
      if (length !== undefined && covered) return toUploadStatus(fresh);
      throw new DomainError(
        'conflict',
        'upload.concurrentWrite',
        `Another request wrote to this upload at the same time. Continue from offset ${toUploadStatus(fresh).nextOffset} (files_upload_status).`,
      );
    }
  }

  private async append(initial: UploadSessionState, offset: number, source: AsyncIterable<Uint8Array>): Promise<UploadSessionState> {
    let state = initial;
    const fragmentBytes = initial.target.kind === 'attachment' ? Math.min(this.fragmentBytes, ATTACHMENT_FRAGMENT_BYTES) : this.fragmentBytes;
    const pending = new ByteQueue(fragmentBytes);
    pending.push(state.tail);
    let skip = receivedBytes(state) - offset;
    let inFlight: Promise<void> | undefined;
    let failure: unknown;

    // Sends the next `size` queued bytes; the following fragment fills while this one travels.
    const launch = (size: number): void => {
      const start = initial.committed + pending.taken;
      const final = start + size === initial.size;
      const bytes = pending.take(size);
      const previous = inFlight ?? Promise.resolve();
      inFlight = previous.then(async () => {
        state = await this.sendFragment(state, start, bytes, final);
        pending.recycle(bytes);
      });
      inFlight.catch((error: unknown) => {
        failure ??= error;
      });
    };

    try {
      for await (const piece of source) {
        if (failure !== undefined) break;
        let bytes = piece;
        if (skip > 0) {
          const dropped = Math.min(skip, bytes.byteLength);
          skip -= dropped;
          bytes = bytes.subarray(dropped);
        }
        if (bytes.byteLength === 0) continue;
        if (initial.committed + pending.total + pending.taken + bytes.byteLength > initial.size) {
          throw invalidInput('upload.beyondSize', `More bytes were sent than the declared size of ${initial.size} bytes.`);
        }
        pending.push(bytes);
        while (pending.total >= fragmentBytes && failure === undefined) {
          // Double buffering: wait for the previous fragment before cutting the next.
          await inFlight;
          launch(fragmentBytes);
        }
      }
    } catch (error) {
      await inFlight?.catch(() => undefined);
      throw failure ?? error;
    }
    await inFlight?.catch(() => undefined);
    if (failure !== undefined) throw failure;

    const end = initial.committed + pending.taken + pending.total;
    if (end === initial.size) {
      // The last bytes: send them all; only the final fragment may be unaligned.
      while (pending.total > 0) {
        launch(Math.min(fragmentBytes, pending.total));
        await inFlight;
      }
      if (failure !== undefined) throw failure;
      return state;
    }
    const aligned = pending.total - (pending.total % UPLOAD_ALIGNMENT_BYTES);
    for (let left = aligned; left > 0; ) {
      const size = Math.min(fragmentBytes, left);
      launch(size);
      left -= size;
      await inFlight;
    }
    if (failure !== undefined) throw failure;
    // Keep the unaligned remainder with the session so the next chunk can complete a 320 KiB unit.
    return this.save(state, { tail: pending.take(pending.total) });
  }

  /** Sends [start, start + bytes.length), recovering from lost connections via Graph's own progress. */
  private async sendFragment(state: UploadSessionState, start: number, bytes: Uint8Array, final: boolean): Promise<UploadSessionState> {
    const end = start + bytes.byteLength;
    // Graph may already hold some of these bytes (a recovered earlier fragment reached further).
    let position = Math.max(start, Math.min(state.committed, end));
    let failures = 0;
    while (position < end) {
      let outcome: FragmentOutcome;
      try {
        outcome = await this.gateway.putFragment(uploadUrlOf(state), position, state.size, bytes.subarray(position - start));
      } catch (error) {
        await this.endIfGone(state, error);
        if (!recoverable(error) || ++failures >= this.maxAttempts) throw error;
        const remote = await this.remoteProgress(state);
        if (remote < start) return this.outOfSync(state, remote);
        if (remote >= end) return this.save(state, { committed: remote, tail: new Uint8Array() });
        position = remote;
        continue;
      }
      if (outcome.kind === 'complete') {
        const { item, attachmentId } = outcome;
        return this.save(state, { status: 'completed', committed: state.size, tail: new Uint8Array(), ...(item ? { item } : {}), ...(attachmentId ? { attachmentId } : {}) });
      }
      const next = outcome.nextExpected;
      if (next < start) return this.outOfSync(state, next);
      if (next >= end) return this.save(state, { committed: next, tail: new Uint8Array(), ...(outcome.expiresAt === undefined ? {} : { expiresAt: outcome.expiresAt }) });
      // Graph kept only part of the fragment: send the rest, within the same attempt budget.
      if (next <= position && ++failures >= this.maxAttempts) {
        throw new DomainError('unavailable', 'upload.incomplete', `${serviceOf(state.target)} did not take the whole fragment. Retry the same chunk.`);
      }
      position = next;
    }
    if (!final) return state;
    // The last bytes arrived but the answer (the new file or attachment) was lost.
    const look = state.target.kind === 'file' ? 'List the folder to find the file.' : 'See the draft\'s attachments (mail_get_message).';
    throw new DomainError('unavailable', 'upload.outcomeUnknown', `${serviceOf(state.target)} has every byte but its confirmation was lost. ${look}`);
  }

  private async remoteProgress(state: UploadSessionState): Promise<number> {
    try {
      return (await this.gateway.progress(uploadUrlOf(state), state.size)).nextExpected;
    } catch (error) {
      await this.endIfGone(state, error);
      throw error;
    }
  }

  /** Graph forgot the session (404) or OneDrive refused to create the file (409): the upload is over. */
  private async endIfGone(state: UploadSessionState, error: unknown): Promise<void> {
    if (!isDomainError(error)) return;
    if (error.httpStatus === 404) {
      await this.save(state, { status: 'expired' }).catch(() => undefined);
      throw uploadExpired(state.target);
    }
    if (error.httpStatus === 409 && state.target.kind === 'file') {
      await this.save(state, { status: 'failed' }).catch(() => undefined);
      throw new DomainError(
        'conflict',
        'upload.nameConflict',
        `A file named "${state.name}" already exists in that folder and conflict was "fail". Start again with another name or with conflict "replace" or "rename".`,
      );
    }
  }

  /** Graph has fewer bytes than we had recorded: rewind to what it has and tell the client. */
  private async outOfSync(state: UploadSessionState, remote: number): Promise<never> {
    await this.save(state, { committed: remote, tail: new Uint8Array() });
    throw new DomainError('conflict', 'upload.rewound', `${serviceOf(state.target)} has only the first ${remote} bytes of this upload. Send the bytes from offset ${remote} again.`);
  }

  private async save(state: UploadSessionState, patch: Partial<UploadSessionState>): Promise<UploadSessionState> {
    const next: UploadSessionState = { ...state, ...patch, updatedAt: this.clock.now() };
    if (!(await this.store.update(next, state.version))) throw new ConcurrentWrite();
    return { ...next, version: state.version + 1 };
  }
}

function uploadUrlOf(state: UploadSessionState): UploadUrl {
  return { kind: state.target.kind, url: state.uploadUrl };
}

/** Failures after which the bytes may or may not have arrived: ask Graph and continue. */
function recoverable(error: unknown): boolean {
  if (!isDomainError(error)) return false;
  return error.category === 'unavailable' || error.category === 'timeout' || error.category === 'throttled' || error.httpStatus === 416;
}

/**
 * FIFO of byte pieces. `take` hands out exactly n bytes: a view when one piece holds them all (a
 * decoded tool chunk is usually exactly one fragment: no copy), else a copy into one buffer. The
 * full-fragment buffers it allocates are reused once sent, so a long stream allocates two of them
 * rather than one per fragment; views of the caller's pieces are never reused.
 */
class ByteQueue {
  private readonly pieces: Uint8Array[] = [];
  private readonly spare: Uint8Array[] = [];
  private readonly own = new WeakSet<Uint8Array>();
  total = 0;
  /** Bytes taken so far. */
  taken = 0;

  constructor(private readonly fragmentBytes: number) {}

  push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.pieces.push(bytes);
    this.total += bytes.byteLength;
  }

  recycle(buffer: Uint8Array): void {
    if (this.own.has(buffer) && this.spare.length < 2) this.spare.push(buffer);
  }

  take(n: number): Uint8Array {
    this.total -= n;
    this.taken += n;
    const head = this.pieces[0];
    if (head !== undefined && head.byteLength >= n) {
      if (head.byteLength === n) this.pieces.shift();
      else this.pieces[0] = head.subarray(n);
      return head.subarray(0, n);
    }
    const out = (n === this.fragmentBytes ? this.spare.pop() : undefined) ?? this.allocate(n);
    let filled = 0;
    while (filled < n) {
      const piece = this.pieces[0];
      if (piece === undefined) throw new Error('ByteQueue underflow');
      const used = Math.min(piece.byteLength, n - filled);
      out.set(piece.subarray(0, used), filled);
      filled += used;
      if (used === piece.byteLength) this.pieces.shift();
      else this.pieces[0] = piece.subarray(used);
    }
    return out;
  }

  private allocate(n: number): Uint8Array {
    const buffer = new Uint8Array(n);
    if (n === this.fragmentBytes) this.own.add(buffer);
    return buffer;
  }
}
