import { driveItemId, exchangeId } from './ids.js';

/** The in-memory state of the simulated Microsoft 365 world: every sandbox tenant, user, mailbox, calendar and drive. */

export type WellKnownFolder = 'inbox' | 'sentitems' | 'drafts' | 'deleteditems' | 'archive';
export const WELL_KNOWN_FOLDERS: readonly WellKnownFolder[] = [
  'inbox',
  'sentitems',
  'drafts',
  'deleteditems',
  'archive',
];

export interface SandboxTenantInfo {
  id: string;
  name: string;
  domain: string;
}

export interface SandboxUser {
  id: string;
  tenantId: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  userPrincipalName: string;
  jobTitle: string;
}

export interface EmailAddress {
  name: string;
  address: string;
}

export interface StoredMessage {
  id: string;
  folder: WellKnownFolder;
  subject: string;
  bodyHtml: string;
  from: EmailAddress;
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  receivedMs: number;
  sentMs: number;
  isRead: boolean;
  hasAttachments: boolean;
  importance: 'low' | 'normal' | 'high';
  conversationId: string;
  flag?: 'notFlagged' | 'flagged' | 'complete';
  /** Stored attachments; seeded messages with hasAttachments get theirs on first access (mail-attachments.ts). */
  attachments?: StoredAttachment[];
}

export interface StoredAttachment {
  id: string;
  name: string;
  contentType: string;
  isInline: boolean;
  content: FileContent;
  size: number;
}

export type ResponseStatus =
  'none' | 'organizer' | 'accepted' | 'tentativelyAccepted' | 'declined' | 'notResponded';

export interface StoredEvent {
  id: string;
  subject: string;
  bodyHtml: string;
  startMs: number;
  endMs: number;
  isAllDay: boolean;
  location: string;
  organizer: EmailAddress;
  attendees: Array<{ type: 'required' | 'optional'; response: ResponseStatus; emailAddress: EmailAddress }>;
  isOnlineMeeting: boolean;
  joinUrl?: string;
  showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere';
  isCancelled: boolean;
  type: 'singleInstance' | 'occurrence';
  /** On an attendee's copy of a meeting: where the organizer's event is. */
  invitation?: { organizerUserId: string; eventId: string };
}

/** File bytes are either generated on demand from a seed (seeded data) or held (uploads). */
export type FileContent =
  { kind: 'generated'; seed: number; textual: boolean } | { kind: 'bytes'; data: Buffer };

export interface DriveNode {
  id: string;
  name: string;
  parentId: string | null;
  isFolder: boolean;
  size: number;
  createdMs: number;
  modifiedMs: number;
  mimeType?: string;
  content?: FileContent;
  /** Child ids sorted by lower-cased name (folders only): the stable order children are listed and paged in. */
  childIds: string[];
}

function insertSorted<T>(list: T[], item: T, before: (a: T, b: T) => boolean): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid] as T, item)) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

/** Newest first, ties broken by id so paging keys are total. */
export function messageBefore(a: StoredMessage, b: StoredMessage): boolean {
  return a.receivedMs !== b.receivedMs ? a.receivedMs > b.receivedMs : a.id > b.id;
}

export class Mailbox {
  private readonly byId = new Map<string, StoredMessage>();
  /** All messages, newest first. */
  readonly sorted: StoredMessage[] = [];
  private readonly folderIds: Map<WellKnownFolder, string>;

  constructor(readonly userId: string) {
    this.folderIds = new Map(WELL_KNOWN_FOLDERS.map((f) => [f, exchangeId('folder', userId, f)]));
  }

  add(message: StoredMessage): void {
    this.byId.set(message.id, message);
    insertSorted(this.sorted, message, messageBefore);
  }

  get(id: string): StoredMessage | undefined {
    return this.byId.get(id);
  }

  remove(id: string): StoredMessage | undefined {
    const message = this.byId.get(id);
    if (!message) return undefined;
    this.byId.delete(id);
    this.sorted.splice(this.sorted.indexOf(message), 1);
    return message;
  }

  folderId(folder: WellKnownFolder): string {
    return this.folderIds.get(folder) ?? '';
  }

  /** A well-known name (case-insensitive) or a folder id. */
  resolveFolder(idOrName: string): WellKnownFolder | undefined {
    const lower = idOrName.toLowerCase() as WellKnownFolder;
    if (WELL_KNOWN_FOLDERS.includes(lower)) return lower;
    for (const [folder, id] of this.folderIds) if (id === idOrName) return folder;
    return undefined;
  }
}

export class Calendar {
  private readonly byId = new Map<string, StoredEvent>();
  /** Ordered by start, then id. */
  readonly sorted: StoredEvent[] = [];

  add(event: StoredEvent): void {
    this.byId.set(event.id, event);
    insertSorted(this.sorted, event, (a, b) =>
      a.startMs !== b.startMs ? a.startMs < b.startMs : a.id < b.id,
    );
  }

  get(id: string): StoredEvent | undefined {
    return this.byId.get(id);
  }

  remove(id: string): StoredEvent | undefined {
    const event = this.byId.get(id);
    if (!event) return undefined;
    this.byId.delete(id);
    this.sorted.splice(this.sorted.indexOf(event), 1);
    return event;
  }
}

export class Drive {
  readonly id: string;
  readonly rootId: string;
  private readonly nodes = new Map<string, DriveNode>();
  private readonly childByName = new Map<string, string>();
  private sequence = 0;

  constructor(
    readonly userId: string,
    createdMs: number,
  ) {
    this.id = `b!${Buffer.from(exchangeId('drive', userId)).toString('base64url').slice(0, 64)}`;
    this.rootId = driveItemId('root', userId);
    this.nodes.set(this.rootId, {
      id: this.rootId,
      name: 'root',
      parentId: null,
      isFolder: true,
      size: 0,
      createdMs,
      modifiedMs: createdMs,
      childIds: [],
    });
  }

  get(id: string): DriveNode | undefined {
    return this.nodes.get(id);
  }

  get all(): IterableIterator<DriveNode> {
    return this.nodes.values();
  }

  child(parentId: string, name: string): DriveNode | undefined {
    const id = this.childByName.get(`${parentId}/${name.toLowerCase()}`);
    return id === undefined ? undefined : this.nodes.get(id);
  }

  children(parentId: string): DriveNode[] {
    const parent = this.nodes.get(parentId);
    if (!parent) return [];
    return parent.childIds.map((id) => this.nodes.get(id)).filter((n): n is DriveNode => n !== undefined);
  }

  /** Resolves "a/b/c" relative to a folder; undefined when any segment is missing. */
  resolvePath(fromId: string, segments: readonly string[]): DriveNode | undefined {
    let node = this.nodes.get(fromId);
    for (const segment of segments) {
      if (!node) return undefined;
      node = this.child(node.id, segment);
    }
    return node;
  }

  /** "/drive/root:" for the root, "/drive/root:/Documents/Reports" for a folder: Graph's parentReference.path. */
  pathOf(id: string): string {
    const names: string[] = [];
    let node = this.nodes.get(id);
    while (node && node.parentId !== null) {
      names.unshift(node.name);
      node = this.nodes.get(node.parentId);
    }
    return names.length === 0 ? '/drive/root:' : `/drive/root:/${names.join('/')}`;
  }

  add(node: Omit<DriveNode, 'id' | 'childIds'> & { parentId: string }, idSeed?: string): DriveNode {
    const parent = this.nodes.get(node.parentId);
    if (!parent?.isFolder) throw new Error(`no folder ${node.parentId}`);
    const id = driveItemId(this.userId, idSeed ?? `runtime-${++this.sequence}`);
    const created: DriveNode = { ...node, id, childIds: [] };
    this.nodes.set(id, created);
    this.childByName.set(`${parent.id}/${node.name.toLowerCase()}`, id);
    const key = (n: string): string => (this.nodes.get(n)?.name ?? '').toLowerCase();
    const lower = node.name.toLowerCase();
    insertSorted(parent.childIds, id, (a) => key(a) < lower);
    return created;
  }

  /** Replaces a file's bytes in place (same id), as a `replace` upload does. */
  replaceContent(id: string, data: Buffer, mimeType: string, nowMs: number): DriveNode {
    const node = this.nodes.get(id);
    if (!node || node.isFolder) throw new Error(`no file ${id}`);
    node.content = { kind: 'bytes', data };
    node.size = data.length;
    node.mimeType = mimeType;
    node.modifiedMs = nowMs;
    return node;
  }

  /** Moves and/or renames a node in place (same id; a folder keeps its subtree). */
  relocate(id: string, parentId: string, name: string, nowMs: number): DriveNode {
    const node = this.nodes.get(id);
    const parent = this.nodes.get(parentId);
    if (!node || node.parentId === null || !parent?.isFolder) throw new Error(`cannot move ${id}`);
    this.detach(node);
    node.name = name;
    node.parentId = parentId;
    node.modifiedMs = nowMs;
    this.childByName.set(`${parentId}/${name.toLowerCase()}`, id);
    const key = (n: string): string => (this.nodes.get(n)?.name ?? '').toLowerCase();
    insertSorted(parent.childIds, id, (a) => key(a) < name.toLowerCase());
    return node;
  }

  /** Removes a node and its subtree (the recycle bin is not modelled beyond disappearing). */
  remove(id: string): void {
    const node = this.nodes.get(id);
    if (!node || node.parentId === null) throw new Error(`cannot remove ${id}`);
    this.detach(node);
    const drop = (n: DriveNode): void => {
      for (const child of this.children(n.id)) drop(child);
      this.nodes.delete(n.id);
    };
    drop(node);
  }

  /** Whether `id` is `ancestorId` or below it. */
  isWithin(id: string, ancestorId: string): boolean {
    for (let n = this.nodes.get(id); n; n = n.parentId === null ? undefined : this.nodes.get(n.parentId)) if (n.id === ancestorId) return true;
    return false;
  }

  private detach(node: DriveNode): void {
    const parent = node.parentId === null ? undefined : this.nodes.get(node.parentId);
    if (!parent) return;
    this.childByName.delete(`${parent.id}/${node.name.toLowerCase()}`);
    parent.childIds.splice(parent.childIds.indexOf(node.id), 1);
  }

  /** Folder sizes are the sum of their descendants, as OneDrive reports them. */
  sizeOf(node: DriveNode): number {
    if (!node.isFolder) return node.size;
    let total = 0;
    for (const child of this.children(node.id)) total += this.sizeOf(child);
    return total;
  }
}

/** The whole sandbox world (all tenants). Routes read and write it; `seed.ts` fills it. */
export class SandboxTenant {
  readonly tenants: SandboxTenantInfo[] = [];
  readonly users: SandboxUser[] = [];
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly calendars = new Map<string, Calendar>();
  private readonly drives = new Map<string, Drive>();
  private sequence = 0;

  constructor(readonly seed: number) {}

  addTenant(info: SandboxTenantInfo): void {
    this.tenants.push(info);
  }

  addUser(user: SandboxUser, driveCreatedMs: number): void {
    this.users.push(user);
    this.mailboxes.set(user.id, new Mailbox(user.id));
    this.calendars.set(user.id, new Calendar());
    this.drives.set(user.id, new Drive(user.id, driveCreatedMs));
  }

  user(tenantId: string, userId: string): SandboxUser | undefined {
    return this.users.find((u) => u.id === userId && u.tenantId === tenantId);
  }

  userByAddress(address: string): SandboxUser | undefined {
    const lower = address.toLowerCase();
    return this.users.find(
      (u) => u.mail.toLowerCase() === lower || u.userPrincipalName.toLowerCase() === lower,
    );
  }

  mailbox(userId: string): Mailbox {
    return this.required(this.mailboxes, userId);
  }

  calendar(userId: string): Calendar {
    return this.required(this.calendars, userId);
  }

  drive(userId: string): Drive {
    return this.required(this.drives, userId);
  }

  /** Deterministic ids for items created at run time (sent mail): same seed and same calls, same ids. */
  nextRuntimeId(kind: string): string {
    return exchangeId(this.seed, 'runtime', kind, ++this.sequence);
  }

  private required<T>(map: Map<string, T>, userId: string): T {
    const value = map.get(userId);
    if (value === undefined) throw new Error(`unknown sandbox user ${userId}`);
    return value;
  }
}
