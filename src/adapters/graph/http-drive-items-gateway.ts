import { DomainError } from '../../domain/errors.js';
import type { CopyStatus, FileVersion, ItemRef, SharedItem, SharingLink, SharingLinkScope, SharingLinkType } from '../../domain/drive-items.js';
import type { DriveItem, FolderRef } from '../../domain/files.js';
import type { Identity } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { DriveItemsGateway } from '../../ports/drive-items-gateway.js';
import { decodeNextLink, encodeNextLink } from './graph-cursor.js';
import type { GraphHttpClient, GraphRequest } from './graph-http-client.js';
import { drivePath, segment } from './graph-path.js';
import { arr, listOf, obj } from './graph-values.js';
import { DRIVE_ITEM_SELECT, toDriveItem } from './normalize-files.js';
import { toCopyStatus, toFileVersion, toSharedItem, toSharingLink } from './normalize-drive-items.js';

const SEARCH_RESOURCE = /^\/me\/drive\/root\/search\(q='[^/]*'\)$/;
const POLL_INTERVAL_MS = 250;

const item = (id: string): string => `/me/drive/items/${segment(id)}`;

function itemAddress(ref: ItemRef): string {
  if ('path' in ref) return `/me/drive/root:${drivePath(ref.path)}:`;
  return ref.driveId === undefined ? item(ref.itemId) : `/drives/${segment(ref.driveId)}/items/${segment(ref.itemId)}`;
}

export class HttpDriveItemsGateway implements DriveItemsGateway {
  constructor(
    private readonly graph: GraphHttpClient,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  private call<T>(caller: Identity, req: Omit<GraphRequest, 'family'>): Promise<T> {
    return this.graph.request<T>(caller, { family: 'files', ...req });
  }

  /** Graph's parentReference wants an id; a folder given by path is looked up first. */
  private async folderId(caller: Identity, folder: FolderRef): Promise<string> {
    if ('itemId' in folder) return folder.itemId;
    const path = drivePath(folder.path);
    const body = await this.call<unknown>(caller, { operation: 'files.getItem', method: 'GET', path: path === '' ? '/me/drive/root' : `/me/drive/root:${path}:`, query: { $select: 'id,folder' }, idempotent: true });
    const raw = obj(body);
    if (raw.folder === undefined) throw new DomainError('invalid_input', 'files.notAFolder', 'The destination is a file, not a folder.');
    return toDriveItem(raw).id;
  }

  async getItem(caller: Identity, ref: ItemRef): Promise<DriveItem> {
    const body = await this.call<unknown>(caller, { operation: 'files.getItem', method: 'GET', path: itemAddress(ref), query: { $select: DRIVE_ITEM_SELECT }, idempotent: true });
    return toDriveItem(obj(body));
  }

  async search(caller: Identity, query: string, pageSize: number, cursor?: string): Promise<Page<DriveItem>> {
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, SEARCH_RESOURCE) }
        : { path: `/me/drive/root/search(q='${encodeURIComponent(query.replace(/'/g, "''"))}')`, query: { $top: pageSize, $select: DRIVE_ITEM_SELECT } };
    const body = await this.call<unknown>(caller, { operation: 'files.search', method: 'GET', idempotent: true, ...request });
    const { items, nextLink } = listOf(body);
    const page: Page<DriveItem> = { items: items.map(toDriveItem) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }

  async sharedWithMe(caller: Identity, max: number): Promise<SharedItem[]> {
    const body = await this.call<unknown>(caller, { operation: 'files.sharedWithMe', method: 'GET', path: '/me/drive/sharedWithMe', idempotent: true });
    return arr(obj(body).value)
      .map((v) => toSharedItem(obj(v)))
      .filter((v): v is SharedItem => v !== undefined)
      .slice(0, max);
  }

  async createFolder(caller: Identity, parent: FolderRef, name: string, conflict: 'fail' | 'rename'): Promise<DriveItem> {
    const parentPath = 'itemId' in parent ? item(parent.itemId) : drivePath(parent.path) === '' ? '/me/drive/root' : `/me/drive/root:${drivePath(parent.path)}:`;
    const body = await this.call<unknown>(caller, {
      operation: 'files.createFolder',
      method: 'POST',
      path: `${parentPath}/children`,
      body: { name, folder: {}, '@microsoft.graph.conflictBehavior': conflict },
      idempotent: false,
    });
    return toDriveItem(obj(body));
  }

  async update(caller: Identity, itemId: string, change: { parent?: FolderRef; name?: string }): Promise<DriveItem> {
    const body: Record<string, unknown> = {};
    if (change.name !== undefined) body.name = change.name;
    if (change.parent !== undefined) body.parentReference = { id: await this.folderId(caller, change.parent) };
    const res = await this.call<unknown>(caller, { operation: change.parent ? 'files.move' : 'files.rename', method: 'PATCH', path: item(itemId), body, idempotent: true });
    return toDriveItem(obj(res));
  }

  async copy(caller: Identity, itemId: string, parent: FolderRef, name: string | undefined, waitMs: number): Promise<CopyStatus> {
    const parentId = await this.folderId(caller, parent);
    const monitorUrl = await this.call<string>(caller, {
      operation: 'files.copy',
      method: 'POST',
      path: `${item(itemId)}/copy`,
      query: { '@microsoft.graph.conflictBehavior': 'rename' },
      body: { parentReference: { id: parentId }, ...(name === undefined ? {} : { name }) },
      idempotent: false,
      expect: 'location',
    });
    const until = Date.now() + waitMs;
    for (;;) {
      const status = toCopyStatus(obj(await this.graph.monitor(monitorUrl)));
      if (status.status !== 'inProgress' || Date.now() + POLL_INTERVAL_MS > until) return status;
      await this.sleep(POLL_INTERVAL_MS);
    }
  }

  async delete(caller: Identity, itemId: string): Promise<void> {
    await this.call<void>(caller, { operation: 'files.delete', method: 'DELETE', path: item(itemId), idempotent: true, expect: 'none' });
  }

  async createLink(caller: Identity, itemId: string, type: SharingLinkType, scope: SharingLinkScope): Promise<SharingLink> {
    // createLink returns the existing link of the same type and scope: safe to repeat.
    const body = await this.call<unknown>(caller, { operation: 'files.createLink', method: 'POST', path: `${item(itemId)}/createLink`, body: { type, scope }, idempotent: true });
    return toSharingLink(obj(body), type, scope);
  }

  async listVersions(caller: Identity, itemId: string): Promise<FileVersion[]> {
    const body = await this.call<unknown>(caller, { operation: 'files.listVersions', method: 'GET', path: `${item(itemId)}/versions`, idempotent: true });
    return arr(obj(body).value).map((v) => toFileVersion(obj(v)));
  }
}
