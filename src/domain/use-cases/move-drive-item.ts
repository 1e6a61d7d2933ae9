import { invalidInput } from '../errors.js';
import { normalizeFolderRef, validateItemName } from '../drive-path.js';
import type { DriveItem, FolderRef } from '../files.js';
import type { Identity } from '../identity.js';
import { itemId } from '../item-ref.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

/** Moves an item to another folder of the same drive and/or renames it (in place when no destination). */
export class MoveDriveItem {
  constructor(private readonly drive: DriveItemsGateway) {}

  execute(caller: Identity, input: { itemId: string; destination?: FolderRef; newName?: string }): Promise<DriveItem> {
    const change: { parent?: FolderRef; name?: string } = {};
    if (input.destination !== undefined) change.parent = normalizeFolderRef(input.destination);
    if (input.newName !== undefined) change.name = validateItemName(input.newName);
    if (change.parent === undefined && change.name === undefined) {
      throw invalidInput('files.nothingToChange', 'Give a destination folder, a newName, or both.');
    }
    return this.drive.update(caller, itemId(input.itemId), change);
  }
}
