import { validateItemName } from '../drive-path.js';
import type { DriveItem } from '../files.js';
import type { Identity } from '../identity.js';
import { itemId } from '../item-ref.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

/** Renames a file or folder in place. */
export class RenameDriveItem {
  constructor(private readonly drive: DriveItemsGateway) {}

  execute(caller: Identity, input: { itemId: string; name: string }): Promise<DriveItem> {
    return this.drive.update(caller, itemId(input.itemId), { name: validateItemName(input.name) });
  }
}
