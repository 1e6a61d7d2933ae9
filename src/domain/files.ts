export interface DriveItem {
  id: string;
  name: string;
  kind: 'file' | 'folder';
  size: number;
  /** For folders: number of children. */
  childCount?: number;
  mimeType?: string;
  createdAt?: string;
  modifiedAt: string;
  /** Path of the parent folder from the drive root, e.g. `/Documents/Reports`. */
  parentPath?: string;
  webUrl?: string;
  driveId?: string;
}

/** Where a folder is: by path from the drive root (`/Documents`) or by item id. */
export type FolderRef = { path: string } | { itemId: string };

export interface FileContent {
  item: DriveItem;
  /** `text` for UTF-8 text files; `base64` for binary content. */
  encoding: 'text' | 'base64';
  content: string;
}

export type ConflictBehavior = 'fail' | 'replace' | 'rename';
