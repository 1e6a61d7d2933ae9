import type { CopyStatus, FileVersion, SharedItem, SharingLink, SharingLinkScope, SharingLinkType } from '../../domain/drive-items.js';
import { DomainError } from '../../domain/errors.js';
import { toDriveItem } from './normalize-files.js';
import { isoDate, num, obj, str } from './graph-values.js';
import type { Json } from './graph-values.js';

/** A sharedWithMe entry: the real item is in `remoteItem`, in the owner's drive. */
export function toSharedItem(raw: Json): SharedItem | undefined {
  const remote = obj(raw.remoteItem);
  const driveId = str(obj(remote.parentReference).driveId);
  if (str(remote.id) === undefined || driveId === undefined) return undefined;
  const item: SharedItem = { ...toDriveItem({ ...remote, parentReference: { ...obj(remote.parentReference), path: undefined } }), driveId };
  const by = str(obj(obj(obj(remote.shared).owner).user).displayName) ?? str(obj(obj(obj(remote.shared).sharedBy).user).displayName);
  if (by !== undefined) item.sharedBy = by;
  return item;
}

export function toSharingLink(raw: Json, type: SharingLinkType, scope: SharingLinkScope): SharingLink {
  const link = obj(raw.link);
  const url = str(link.webUrl);
  if (url === undefined) throw new DomainError('unavailable', 'graph.badResponse', 'Microsoft Graph sent a sharing link without a URL. Retry in a moment.');
  const out: SharingLink = { url, type: (str(link.type) as SharingLinkType | undefined) ?? type, scope: (str(link.scope) as SharingLinkScope | undefined) ?? scope };
  const expiresAt = isoDate(raw.expirationDateTime);
  if (expiresAt !== undefined) out.expiresAt = expiresAt;
  return out;
}

export function toFileVersion(raw: Json): FileVersion {
  const v: FileVersion = { id: str(raw.id) ?? '', modifiedAt: isoDate(raw.lastModifiedDateTime) ?? '', size: num(raw.size) ?? 0 };
  const by = str(obj(obj(raw.lastModifiedBy).user).displayName);
  if (by !== undefined) v.modifiedBy = by;
  return v;
}

/** Monitor body: `{status, percentageComplete, resourceId}`; Graph's statuses folded into three. */
export function toCopyStatus(raw: Json): CopyStatus {
  const status = str(raw.status);
  const out: CopyStatus = {
    status: status === 'completed' ? 'completed' : status === 'failed' || status === 'cancelled' ? 'failed' : 'inProgress',
  };
  const id = str(raw.resourceId);
  if (id !== undefined && out.status === 'completed') out.itemId = id;
  const pct = num(raw.percentageComplete);
  if (pct !== undefined) out.percentComplete = pct;
  return out;
}
