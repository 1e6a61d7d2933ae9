import type { DriveItem } from './files.js';

/** An item in the user's OneDrive (by id or by path from the root) or, with driveId, in a drive shared with them. */
export type ItemRef = { itemId: string; driveId?: string } | { path: string };

/** A drive item as the caller sees it in "shared with me": where it lives and who shared it. */
export interface SharedItem extends DriveItem {
  driveId: string;
  sharedBy?: string;
}

export type SharingLinkType = 'view' | 'edit';
export type SharingLinkScope = 'anonymous' | 'organization';

export interface SharingLink {
  url: string;
  type: SharingLinkType;
  scope: SharingLinkScope;
  expiresAt?: string;
}

export interface FileVersion {
  id: string;
  modifiedAt: string;
  size: number;
  modifiedBy?: string;
}

/** Where an asynchronous copy stands (OneDrive copies on its own schedule; the monitor URL reports progress). */
export interface CopyStatus {
  status: 'completed' | 'inProgress' | 'failed';
  /** The new item, once completed. */
  itemId?: string;
  percentComplete?: number;
}
