import { randomBytes } from 'node:crypto';
import type { Drive, DriveNode } from './sandbox-tenant.js';

/** Graph's fragment rules: multiples of 320 KiB (except the last), each under 60 MiB. */
export const SANDBOX_UPLOAD_ALIGNMENT = 327_680;
export const SANDBOX_MAX_FRAGMENT_BYTES = 60 * 1024 * 1024;
/** The sandbox keeps files in memory: larger uploads are refused (Graph's own limit is 250 GB). */
export const SANDBOX_MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024;

/** Outlook's rules: attachments of 3 MB to 150 MB through a session, up to 4 MB per PUT, no alignment. */
export const SANDBOX_ATTACHMENT_MIN_BYTES = 3 * 1024 * 1024;
export const SANDBOX_ATTACHMENT_MAX_BYTES = 150 * 1024 * 1024;
export const SANDBOX_ATTACHMENT_MAX_FRAGMENT_BYTES = 4 * 1024 * 1024;

export type ConflictBehavior = 'fail' | 'replace' | 'rename';

/** Where a OneDrive session's file goes: a folder id, and path segments from it ending in the file name. */
export interface DriveUploadTarget {
  kind: 'drive';
  baseId: string;
  segments: string[];
  conflict: ConflictBehavior;
}

/** The draft an Outlook attachment session attaches its file to. */
export interface AttachmentUploadTarget {
  kind: 'attachment';
  messageId: string;
  name: string;
  contentType: string;
  isInline: boolean;
}

/** One upload session: the bytes so far, and where they will go. */
export interface SandboxUploadSession {
  id: string;
  userId: string;
  target: DriveUploadTarget | AttachmentUploadTarget;
  /** OneDrive learns it from the first fragment's Content-Range; Outlook from createUploadSession. Every fragment must agree. */
  total?: number;
  /**
   * The whole file, allocated once at the first fragment: fragments are read from the socket
   * straight into place, so a 100 MB upload costs one allocation rather than a Buffer per
   * fragment plus a concatenation (the garbage collector's external-memory heuristics turned
   * those into dozens of full collections per upload). Bytes [0, received) are valid.
   */
  data?: Buffer;
  received: number;
  /**
   * The fragment being read straight into `data` now, if any. A concurrent one is read aside; if
   * that one is accepted first, it takes this away, so the slower one stops writing into `data`.
   */
  writer?: object;
  expiresAt: number;
}

/**
 * Every open upload session of the sandbox. OneDrive's expire 15 minutes after their last
 * fragment (sliding); Outlook's at the expirationDateTime given at creation, which never moves.
 */
export class SandboxUploadSessions {
  private readonly sessions = new Map<string, SandboxUploadSession>();

  constructor(
    private readonly now: () => number,
    readonly ttlMs: number,
  ) {}

  create(init: Omit<SandboxUploadSession, 'id' | 'received' | 'expiresAt'>): SandboxUploadSession {
    const session: SandboxUploadSession = { ...init, id: randomBytes(18).toString('base64url'), received: 0, expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  /** A live session, or undefined (an expired one is dropped with its bytes). */
  get(id: string): SandboxUploadSession | undefined {
    const session = this.sessions.get(id);
    if (session !== undefined && session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Tests: make sessions expire now (all of them, or one). */
  expire(id?: string): void {
    for (const session of this.sessions.values()) if (id === undefined || session.id === id) session.expiresAt = this.now();
  }

  /** Open sessions (tests and stats). */
  get size(): number {
    return this.sessions.size;
  }

  /** The file's buffer, allocated for the total the fragments name (fixed once one is accepted). */
  fileBuffer(session: SandboxUploadSession, total: number): Buffer {
    if (session.data?.length !== total) session.data = Buffer.allocUnsafeSlow(total);
    return session.data;
  }

  /** Bytes [received, received + length) of a file of `total` bytes are in `data` now. */
  advance(session: SandboxUploadSession, length: number, total: number): void {
    session.total = total;
    session.received += length;
    if (session.target.kind === 'drive') session.expiresAt = this.now() + this.ttlMs;
  }
}

/** The session's bytes as one Buffer (released from the session). */
export function takeBytes(session: SandboxUploadSession): Buffer {
  const data = (session.data ?? Buffer.alloc(0)).subarray(0, session.received);
  delete session.data;
  return data;
}

/** `["{received}-{total-1}"]` (or `["{received}-"]` before the total is known). */
export function nextExpectedRanges(session: SandboxUploadSession): string[] {
  return [session.total === undefined ? `${session.received}-` : `${session.received}-${session.total - 1}`];
}

/** Chooses the final name for `rename`: "report 1.pdf", "report 2.pdf", ... */
export function freeName(drive: Drive, parentId: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 1; ; i++) {
    const candidate = `${stem} ${i}${ext}`;
    if (!drive.child(parentId, candidate)) return candidate;
  }
}

export type CommitResult = { ok: true; node: DriveNode; created: boolean } | { ok: false; conflictName: string };

/** Turns a finished session's bytes into a file, creating missing folders and applying the conflict behaviour. */
export function commitUpload(drive: Drive, target: DriveUploadTarget, data: Buffer, mimeType: string, nowMs: number): CommitResult {
  let parent = drive.get(target.baseId);
  if (!parent) throw new Error('upload parent vanished');
  const folders = target.segments.slice(0, -1);
  const fileName = target.segments[target.segments.length - 1] ?? '';
  for (const name of folders) {
    const existing = drive.child(parent.id, name);
    if (existing && !existing.isFolder) return { ok: false, conflictName: name };
    parent = existing ?? drive.add({ name, parentId: parent.id, isFolder: true, size: 0, createdMs: nowMs, modifiedMs: nowMs });
  }
  const existing = drive.child(parent.id, fileName);
  if (existing) {
    if (target.conflict === 'fail' || existing.isFolder) return { ok: false, conflictName: existing.name };
    if (target.conflict === 'replace') return { ok: true, node: drive.replaceContent(existing.id, data, mimeType, nowMs), created: false };
  }
  const name = existing ? freeName(drive, parent.id, fileName) : fileName;
  const node = drive.add({ name, parentId: parent.id, isFolder: false, size: data.length, createdMs: nowMs, modifiedMs: nowMs, mimeType, content: { kind: 'bytes', data } });
  return { ok: true, node, created: true };
}
