import type { ConflictBehavior, DriveItem, FolderRef } from '../domain/files.js';
import type { Identity } from '../domain/identity.js';
import type { Page } from '../domain/paging.js';

export interface FilesGateway {
  listChildren(caller: Identity, folder: FolderRef, pageSize: number, cursor?: string): Promise<Page<DriveItem>>;
  getItem(caller: Identity, itemId: string): Promise<DriveItem>;
  /** Whole content of a small file; callers check the size first. */
  downloadContent(caller: Identity, itemId: string): Promise<Uint8Array>;
  /** Simple upload (PUT .../content), for files up to the simple-upload cap. */
  uploadSmall(
    caller: Identity,
    folder: FolderRef,
    name: string,
    content: Uint8Array,
    conflict: ConflictBehavior,
  ): Promise<DriveItem>;
}
