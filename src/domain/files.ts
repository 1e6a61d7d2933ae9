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
  /** `text` for UTF-8 text files; `base64` for binary content; `link` when too big to inline. */
  encoding: 'text' | 'base64' | 'link';
  /** Empty for `link`. */
  content: string;
  /** `link` only: a short-lived URL serving the bytes to the same signed-in user. */
  downloadUrl?: string;
  /** `link` only: ISO instant the link stops working. */
  expiresAt?: string;
}

export type ConflictBehavior = 'fail' | 'replace' | 'rename';
