import { MAX_PATH_LENGTH, normalizeFolderRef, validateItemName } from '../drive-path.js';
import { invalidInput, payloadTooLarge } from '../errors.js';
import type { ConflictBehavior, DriveItem, FolderRef } from '../files.js';
import type { Identity } from '../identity.js';
import type { FilesGateway } from '../../ports/files-gateway.js';

export interface UploadFileInput {
  /** Default: the drive root. */
  folder?: FolderRef;
  name: string;
  content: Uint8Array;
  conflict: ConflictBehavior;
}

export interface UploadFileLimits {
  /** Largest file sent in one simple upload; bigger ones go through an upload session. */
  maxSimpleUploadBytes: number;
}

export const DEFAULT_UPLOAD_FILE_LIMITS: UploadFileLimits = { maxSimpleUploadBytes: 4 * 1024 * 1024 };

const CONFLICTS: ReadonlySet<string> = new Set<ConflictBehavior>(['fail', 'replace', 'rename']);

/** Uploads a small file in one request. */
export class UploadFile {
  private readonly limits: UploadFileLimits;

  constructor(
    private readonly files: FilesGateway,
    limits: Partial<UploadFileLimits> = {},
  ) {
    this.limits = { ...DEFAULT_UPLOAD_FILE_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: UploadFileInput): Promise<DriveItem> {
    if (!(input.content instanceof Uint8Array)) throw invalidInput('files.invalidContent', 'The file content must be bytes.');
    if (input.content.byteLength > this.limits.maxSimpleUploadBytes) {
      throw payloadTooLarge(
        'files.tooLargeForSimpleUpload',
        `The file is ${input.content.byteLength} bytes; a single upload takes at most ${this.limits.maxSimpleUploadBytes} bytes. ` +
          'Use the upload-session tools files_upload_start and files_upload_chunk for larger files.',
      );
    }
    if (!CONFLICTS.has(input.conflict)) {
      throw invalidInput('files.invalidConflictBehavior', 'conflict must be "fail", "replace" or "rename".');
    }
    const name = validateItemName(input.name);
    const folder = normalizeFolderRef(input.folder);
    if ('path' in folder && folder.path.length + 1 + name.length > MAX_PATH_LENGTH) {
      throw invalidInput('files.invalidPath', `The full path of the file may have at most ${MAX_PATH_LENGTH} characters; use a shorter name or folder.`);
    }
    return this.files.uploadSmall(caller, folder, name, input.content, input.conflict);
  }
}
