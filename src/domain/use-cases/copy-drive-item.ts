import type { CopyStatus } from '../drive-items.js';
import { normalizeFolderRef, validateItemName } from '../drive-path.js';
import type { FolderRef } from '../files.js';
import type { Identity } from '../identity.js';
import { itemId } from '../item-ref.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

export interface CopyDriveItemOptions {
  /** How long to wait for OneDrive's asynchronous copy before answering `inProgress`. */
  waitMs: number;
}

/** Copies a file or folder (with its content) into a folder; OneDrive does it asynchronously. */
export class CopyDriveItem {
  constructor(
    private readonly drive: DriveItemsGateway,
    private readonly options: CopyDriveItemOptions = { waitMs: 5_000 },
  ) {}

  execute(caller: Identity, input: { itemId: string; destination?: FolderRef; newName?: string }): Promise<CopyStatus> {
    const name = input.newName === undefined ? undefined : validateItemName(input.newName);
    return this.drive.copy(caller, itemId(input.itemId), normalizeFolderRef(input.destination), name, this.options.waitMs);
  }
}
