import { normalizeFolderRef } from '../drive-path.js';
import type { DriveItem, FolderRef } from '../files.js';
import type { Identity } from '../identity.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import type { FilesGateway } from '../../ports/files-gateway.js';

export interface ListDriveItemsInput extends PageRequest {
  /** Default: the drive root. */
  folder?: FolderRef;
}

export interface ListDriveItemsLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

export const DEFAULT_LIST_DRIVE_ITEMS_LIMITS: ListDriveItemsLimits = { defaultPageSize: 50, maxPageSize: 200 };

/** Lists the children of a OneDrive folder, by path or id. */
export class ListDriveItems {
  private readonly limits: ListDriveItemsLimits;

  constructor(
    private readonly files: FilesGateway,
    limits: Partial<ListDriveItemsLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIST_DRIVE_ITEMS_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: ListDriveItemsInput): Promise<Page<DriveItem>> {
    const pageSize = clampPageSize(input.pageSize, this.limits.defaultPageSize, this.limits.maxPageSize);
    const cursor = validateCursor(input.cursor);
    return this.files.listChildren(caller, normalizeFolderRef(input.folder), pageSize, cursor);
  }
}
