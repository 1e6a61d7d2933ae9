import type { FileVersion } from '../drive-items.js';
import type { Identity } from '../identity.js';
import { itemId } from '../item-ref.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

/** Earlier versions of a file, newest (current) first. */
export class ListFileVersions {
  constructor(private readonly drive: DriveItemsGateway) {}

  execute(caller: Identity, input: { itemId: string }): Promise<FileVersion[]> {
    return this.drive.listVersions(caller, itemId(input.itemId));
  }
}
