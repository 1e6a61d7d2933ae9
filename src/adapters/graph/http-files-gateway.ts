import type { ConflictBehavior, DriveItem, FolderRef } from '../../domain/files.js';
import type { Identity } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { FilesGateway } from '../../ports/files-gateway.js';
import { decodeNextLink, encodeNextLink } from './graph-cursor.js';
import type { GraphHttpClient } from './graph-http-client.js';
import { drivePath, segment } from './graph-path.js';
import { listOf, obj } from './graph-values.js';
import { DRIVE_ITEM_SELECT, toDriveItem } from './normalize-files.js';

const CHILDREN_RESOURCE = /^\/me\/drive\/(root|root:\/.+:|items\/[^/]+)\/children$/;

export interface HttpFilesGatewayOptions {
  /** Hard cap on downloaded bytes, whatever the metadata said (the use case checks the size first). */
  maxDownloadBytes: number;
}

/** `/me/drive/root`, `/me/drive/root:/a/b:` or `/me/drive/items/{id}`: how Graph addresses a folder. */
function folderAddress(folder: FolderRef): string {
  if ('itemId' in folder) return `/me/drive/items/${segment(folder.itemId)}`;
  const path = drivePath(folder.path);
  return path === '' ? '/me/drive/root' : `/me/drive/root:${path}:`;
}

export class HttpFilesGateway implements FilesGateway {
  private readonly options: HttpFilesGatewayOptions;

  constructor(
    private readonly graph: GraphHttpClient,
    options: Partial<HttpFilesGatewayOptions> = {},
  ) {
    this.options = { maxDownloadBytes: 16 * 1024 * 1024, ...options };
  }

  async listChildren(caller: Identity, folder: FolderRef, pageSize: number, cursor?: string): Promise<Page<DriveItem>> {
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, CHILDREN_RESOURCE) }
        : { path: `${folderAddress(folder)}/children`, query: { $top: pageSize, $select: DRIVE_ITEM_SELECT } };
    const body = await this.graph.request<unknown>(caller, { family: 'files', operation: 'files.listChildren', method: 'GET', idempotent: true, ...request });
    const { items, nextLink } = listOf(body);
    const page: Page<DriveItem> = { items: items.map(toDriveItem) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }

  async getItem(caller: Identity, itemId: string): Promise<DriveItem> {
    const body = await this.graph.request<unknown>(caller, {
      family: 'files',
      operation: 'files.getItem',
      method: 'GET',
      path: `/me/drive/items/${segment(itemId)}`,
      query: { $select: DRIVE_ITEM_SELECT },
      idempotent: true,
    });
    return toDriveItem(obj(body));
  }

  async downloadContent(caller: Identity, itemId: string): Promise<Uint8Array> {
    return this.graph.request<Uint8Array>(caller, {
      family: 'files',
      operation: 'files.downloadContent',
      method: 'GET',
      path: `/me/drive/items/${segment(itemId)}/content`,
      idempotent: true,
      expect: 'bytes',
      maxBytes: this.options.maxDownloadBytes,
    });
  }

  async uploadSmall(caller: Identity, folder: FolderRef, name: string, content: Uint8Array, conflict: ConflictBehavior): Promise<DriveItem> {
    // root:/{name}: or root:/{path}/{name}: or items/{parentId}:/{name}:
    const target =
      'itemId' in folder
        ? `/me/drive/items/${segment(folder.itemId)}:/${segment(name)}:`
        : `/me/drive/root:${drivePath(folder.path)}/${segment(name)}:`;
    const body = await this.graph.request<unknown>(caller, {
      family: 'files',
      operation: 'files.uploadSmall',
      method: 'PUT',
      path: `${target}/content`,
      query: { '@microsoft.graph.conflictBehavior': conflict },
      headers: { 'content-type': 'application/octet-stream' },
      body: content,
      idempotent: false,
    });
    return toDriveItem(obj(body));
  }
}
