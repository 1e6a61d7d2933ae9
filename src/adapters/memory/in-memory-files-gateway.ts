import { DomainError, invalidInput, notFound } from '../../domain/errors.js';
import type { ConflictBehavior, DriveItem, FolderRef } from '../../domain/files.js';
import type { Identity } from '../../domain/identity.js';
import { userKey } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { FilesGateway } from '../../ports/files-gateway.js';
import { pageOf } from './in-memory-paging.js';

interface Node {
  item: DriveItem;
  parentId: string | null;
  content?: Uint8Array;
}

const ROOT_ID = 'root';

/** A OneDrive per user, in memory. Names compare case-insensitively, as in OneDrive. */
export class InMemoryFilesGateway implements FilesGateway {
  private readonly drives = new Map<string, Map<string, Node>>();
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  /** Creates the folders of `path` as needed and returns the last one. */
  addFolder(owner: Pick<Identity, 'tenantId' | 'objectId'>, path: string): DriveItem {
    const drive = this.drive(owner);
    let parent = drive.get(ROOT_ID) as Node;
    for (const name of path.split('/').filter((s) => s !== '')) {
      parent = this.childNamed(drive, parent.item.id, name) ?? this.create(drive, parent, name, 'folder');
    }
    return { ...parent.item };
  }

  addFile(owner: Pick<Identity, 'tenantId' | 'objectId'>, folderPath: string, name: string, content: Uint8Array, mimeType?: string): DriveItem {
    const drive = this.drive(owner);
    const folder = this.addFolder(owner, folderPath);
    const node = this.create(drive, drive.get(folder.id) as Node, name, 'file', content);
    if (mimeType !== undefined) node.item.mimeType = mimeType;
    return { ...node.item };
  }

  async listChildren(caller: Identity, folder: FolderRef, pageSize: number, cursor?: string): Promise<Page<DriveItem>> {
    const drive = this.drive(caller);
    const parentId = cursor === undefined ? this.resolve(drive, folder).item.id : '';
    return pageOf(parentId, pageSize, cursor, (id) =>
      [...drive.values()]
        .filter((n) => n.parentId === id)
        .sort((a, b) => a.item.name.localeCompare(b.item.name))
        .map((n) => ({ ...n.item })),
    );
  }

  async getItem(caller: Identity, itemId: string): Promise<DriveItem> {
    return { ...this.byId(this.drive(caller), itemId).item };
  }

  async downloadContent(caller: Identity, itemId: string): Promise<Uint8Array> {
    const node = this.byId(this.drive(caller), itemId);
    if (node.item.kind === 'folder') throw invalidInput('graph.invalidRequest', 'A folder has no content to download.');
    return new Uint8Array(node.content ?? new Uint8Array());
  }

  async uploadSmall(caller: Identity, folder: FolderRef, name: string, content: Uint8Array, conflict: ConflictBehavior): Promise<DriveItem> {
    const drive = this.drive(caller);
    const parent = this.resolve(drive, folder);
    const existing = this.childNamed(drive, parent.item.id, name);
    if (existing === undefined) return { ...this.create(drive, parent, name, 'file', content).item };
    if (conflict === 'fail') {
      throw new DomainError('conflict', 'graph.nameAlreadyExists', 'An item with this name already exists in the folder. Choose another name or conflict "replace" or "rename".', { httpStatus: 409 });
    }
    if (conflict === 'replace' && existing.item.kind === 'file') {
      existing.content = new Uint8Array(content);
      existing.item.size = content.byteLength;
      existing.item.modifiedAt = new Date(this.now()).toISOString();
      return { ...existing.item };
    }
    return { ...this.create(drive, parent, this.freeName(drive, parent.item.id, name), 'file', content).item };
  }

  private drive(owner: Pick<Identity, 'tenantId' | 'objectId'>): Map<string, Node> {
    const key = userKey(owner);
    let drive = this.drives.get(key);
    if (drive === undefined) {
      const at = new Date(this.now()).toISOString();
      drive = new Map([[ROOT_ID, { item: { id: ROOT_ID, name: 'root', kind: 'folder', size: 0, childCount: 0, modifiedAt: at }, parentId: null }]]);
      this.drives.set(key, drive);
    }
    return drive;
  }

  private resolve(drive: Map<string, Node>, folder: FolderRef): Node {
    let node: Node | undefined;
    if ('itemId' in folder) node = this.byId(drive, folder.itemId);
    else {
      node = drive.get(ROOT_ID);
      for (const name of folder.path.split('/').filter((s) => s !== '')) {
        node = node === undefined ? undefined : this.childNamed(drive, node.item.id, name);
      }
    }
    if (node === undefined) throw notFound('graph.itemNotFound', 'The folder was not found. List the parent folder to find the right path.');
    if (node.item.kind !== 'folder') throw invalidInput('graph.invalidRequest', 'The item is a file, not a folder.');
    return node;
  }

  private byId(drive: Map<string, Node>, id: string): Node {
    const node = drive.get(id);
    if (node === undefined) throw notFound('graph.itemNotFound', 'The item was not found. List the folder again to get a current id.');
    return node;
  }

  private childNamed(drive: Map<string, Node>, parentId: string, name: string): Node | undefined {
    const lower = name.toLowerCase();
    return [...drive.values()].find((n) => n.parentId === parentId && n.item.name.toLowerCase() === lower);
  }

  private freeName(drive: Map<string, Node>, parentId: string, name: string): string {
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let i = 1; ; i++) {
      const candidate = `${stem} ${i}${ext}`;
      if (this.childNamed(drive, parentId, candidate) === undefined) return candidate;
    }
  }

  private create(drive: Map<string, Node>, parent: Node, name: string, kind: 'file' | 'folder', content?: Uint8Array): Node {
    const at = new Date(this.now()).toISOString();
    const parentPath = this.pathOf(drive, parent);
    const item: DriveItem = { id: `item-${this.nextId++}`, name, kind, size: content?.byteLength ?? 0, createdAt: at, modifiedAt: at, parentPath };
    if (kind === 'folder') item.childCount = 0;
    if (parent.item.childCount !== undefined) parent.item.childCount += 1;
    const node: Node = { item, parentId: parent.item.id };
    if (content !== undefined) node.content = new Uint8Array(content);
    drive.set(item.id, node);
    return node;
  }

  private pathOf(drive: Map<string, Node>, node: Node): string {
    const names: string[] = [];
    for (let n: Node | undefined = node; n !== undefined && n.parentId !== null; n = drive.get(n.parentId)) names.unshift(n.item.name);
    return `/${names.join('/')}`;
  }
}
