import type { CopyStatus, FileVersion, ItemRef, SharedItem, SharingLink, SharingLinkScope, SharingLinkType } from '../domain/drive-items.js';
import type { DriveItem, FolderRef } from '../domain/files.js';
import type { Identity } from '../domain/identity.js';
import type { Page } from '../domain/paging.js';

/** Managing OneDrive items: metadata, search, folders, move/copy/rename/delete, sharing, versions. */
export interface DriveItemsGateway {
  getItem(caller: Identity, item: ItemRef): Promise<DriveItem>;
  search(caller: Identity, query: string, pageSize: number, cursor?: string): Promise<Page<DriveItem>>;
  sharedWithMe(caller: Identity, max: number): Promise<SharedItem[]>;
  createFolder(caller: Identity, parent: FolderRef, name: string, conflict: 'fail' | 'rename'): Promise<DriveItem>;
  /** Moves and/or renames (one PATCH); `parent` undefined keeps the folder. */
  update(caller: Identity, itemId: string, change: { parent?: FolderRef; name?: string }): Promise<DriveItem>;
  /** Starts a copy and waits briefly for it (polling the monitor URL up to `waitMs`). */
  copy(caller: Identity, itemId: string, parent: FolderRef, name: string | undefined, waitMs: number): Promise<CopyStatus>;
  /** To the recycle bin. */
  delete(caller: Identity, itemId: string): Promise<void>;
  createLink(caller: Identity, itemId: string, type: SharingLinkType, scope: SharingLinkScope): Promise<SharingLink>;
  listVersions(caller: Identity, itemId: string): Promise<FileVersion[]>;
}
