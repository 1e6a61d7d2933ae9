import type { DriveItem } from '../files.js';
import type { Identity } from '../identity.js';
import { normalizeItemRef } from '../item-ref.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

/** Metadata of one file or folder, by id (also in a shared drive) or by path. */
export class GetDriveItem {
  constructor(private readonly drive: DriveItemsGateway) {}

  execute(caller: Identity, input: { itemId?: string; driveId?: string; path?: string }): Promise<DriveItem> {
    return this.drive.getItem(caller, normalizeItemRef(input));
  }
}
