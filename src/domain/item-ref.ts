import type { ItemRef } from './drive-items.js';
import { normalizeFolderPath } from './drive-path.js';
import { invalidInput } from './errors.js';
import { requireGraphId } from './graph-id.js';

/** Validates an item reference: an id (optionally in a shared drive) or a path from the drive root. */
export function normalizeItemRef(ref: Partial<{ itemId: string; driveId: string; path: string }>): ItemRef {
  if (ref.itemId !== undefined) {
    const itemId = requireGraphId(ref.itemId, 'files.invalidItemId', 'The item id');
    if (ref.path !== undefined) throw invalidInput('files.ambiguousItem', 'Give either itemId or path, not both.');
    return ref.driveId === undefined ? { itemId } : { itemId, driveId: requireGraphId(ref.driveId, 'files.invalidDriveId', 'The drive id') };
  }
  if (ref.path !== undefined) {
    if (ref.driveId !== undefined) throw invalidInput('files.ambiguousItem', 'A path addresses your own OneDrive; for a shared drive give itemId and driveId.');
    const path = normalizeFolderPath(ref.path);
    if (path === '/') throw invalidInput('files.invalidPath', 'Give the path of an item, not the drive root.');
    return { path };
  }
  throw invalidInput('files.missingItem', 'Give the item as itemId (from files_list or files_search) or as a path like /Documents/Plan.docx.');
}

export const itemId = (value: unknown): string => requireGraphId(value, 'files.invalidItemId', 'The item id');
