import type { Identity } from '../identity.js';
import { itemId } from '../item-ref.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

/** Deletes a file or folder to the OneDrive recycle bin (restorable there for 93 days). */
export class DeleteDriveItem {
  constructor(private readonly drive: DriveItemsGateway) {}

  async execute(caller: Identity, input: { itemId: string }): Promise<{ status: 'deleted' }> {
    await this.drive.delete(caller, itemId(input.itemId));
    return { status: 'deleted' };
  }
}
