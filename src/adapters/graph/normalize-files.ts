import type { DriveItem } from '../../domain/files.js';
import { isoDate, num, obj, requireId, str } from './graph-values.js';
import type { Json } from './graph-values.js';

export const DRIVE_ITEM_SELECT = ['id', 'name', 'size', 'folder', 'file', 'createdDateTime', 'lastModifiedDateTime', 'parentReference', 'webUrl'].join(',');

/** `parentReference.path` is `/drive/root:/Documents/Reports` (or `/drives/{id}/root:`); we keep the part after `root:`. */
export function parentPathOf(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const at = path.indexOf('root:');
  if (at < 0) return undefined;
  const rest = path.slice(at + 'root:'.length);
  let decoded = rest;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    // Not percent-encoded after all; keep it as sent.
  }
  return decoded === '' ? '/' : decoded;
}

export function toDriveItem(raw: Json): DriveItem {
  const folder = raw.folder === undefined || raw.folder === null ? undefined : obj(raw.folder);
  const item: DriveItem = {
    id: requireId(raw),
    name: str(raw.name) ?? '',
    kind: folder === undefined ? 'file' : 'folder',
    size: num(raw.size) ?? 0,
    modifiedAt: isoDate(raw.lastModifiedDateTime) ?? '',
  };
  const childCount = num(folder?.childCount);
  if (childCount !== undefined) item.childCount = childCount;
  const mimeType = str(obj(raw.file).mimeType);
  if (mimeType !== undefined) item.mimeType = mimeType;
  const createdAt = isoDate(raw.createdDateTime);
  if (createdAt !== undefined) item.createdAt = createdAt;
  const parent = obj(raw.parentReference);
  const parentPath = parentPathOf(str(parent.path));
  if (parentPath !== undefined) item.parentPath = parentPath;
  const webUrl = str(raw.webUrl);
  if (webUrl !== undefined) item.webUrl = webUrl;
  const driveId = str(parent.driveId);
  if (driveId !== undefined) item.driveId = driveId;
  return item;
}
