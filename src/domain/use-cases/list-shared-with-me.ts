import type { SharedItem } from '../drive-items.js';
import type { Identity } from '../identity.js';
import { clampPageSize } from '../paging.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';

export const SHARED_WITH_ME_LIMITS = { defaultMax: 50, max: 200 } as const;

/** Files and folders others shared with the user; Graph does not page this list, so it is capped. */
export class ListSharedWithMe {
  constructor(private readonly drive: DriveItemsGateway) {}

  execute(caller: Identity, input: { max?: number }): Promise<SharedItem[]> {
    return this.drive.sharedWithMe(caller, clampPageSize(input.max, SHARED_WITH_ME_LIMITS.defaultMax, SHARED_WITH_ME_LIMITS.max));
  }
}
