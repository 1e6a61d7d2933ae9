import { MAX_PATH_LENGTH, normalizeFolderRef, validateItemName } from '../drive-path.js';
import { invalidInput, payloadTooLarge } from '../errors.js';
import type { ConflictBehavior, FolderRef } from '../files.js';
import type { Identity } from '../identity.js';
import { newUploadId } from '../upload-access.js';
import { newUploadState, requireUploadSize, toUploadStatus, type UploadStatus } from '../upload-session.js';
import type { Clock } from '../../ports/clock.js';
import type { UploadSessionGateway } from '../../ports/upload-session-gateway.js';
import type { UploadSessionStore } from '../../ports/upload-session-store.js';

export interface StartUploadInput {
  /** Default: the drive root. */
  folder?: FolderRef;
  name: string;
  size: number;
  conflict: ConflictBehavior;
}

export interface StartUploadLimits {
  /** Largest file accepted (the operator's quota; OneDrive itself stops at 250 GB). */
  maxFileBytes: number;
}

const CONFLICTS: ReadonlySet<string> = new Set<ConflictBehavior>(['fail', 'replace', 'rename']);

/** Opens a OneDrive upload session for a file of known size and remembers it for its owner. */
export class StartUpload {
  constructor(
    private readonly gateway: UploadSessionGateway,
    private readonly store: UploadSessionStore,
    private readonly clock: Clock,
    private readonly limits: StartUploadLimits,
  ) {}

  async execute(caller: Identity, input: StartUploadInput): Promise<UploadStatus> {
    const size = requireUploadSize(input.size);
    if (size === 0) throw invalidInput('upload.emptyFile', 'An upload session needs at least one byte; create empty files with files_upload.');
    if (size > this.limits.maxFileBytes) {
      throw payloadTooLarge('upload.tooLarge', `The file is ${size} bytes; this server accepts files up to ${this.limits.maxFileBytes} bytes.`);
    }
    if (!CONFLICTS.has(input.conflict)) throw invalidInput('files.invalidConflictBehavior', 'conflict must be "fail", "replace" or "rename".');
    const name = validateItemName(input.name);
    const folder = normalizeFolderRef(input.folder);
    if ('path' in folder && folder.path.length + 1 + name.length > MAX_PATH_LENGTH) {
      throw invalidInput('files.invalidPath', `The full path of the file may have at most ${MAX_PATH_LENGTH} characters; use a shorter name or folder.`);
    }
    const session = await this.gateway.create(caller, folder, name, input.conflict, size);
    const state = newUploadState({ id: newUploadId(), caller, target: { kind: 'file', folder, conflict: input.conflict }, name, size }, session, this.clock.now());
    await this.store.create(state);
    return toUploadStatus(state);
  }
}
