import { Hono } from 'hono';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { GraphError, badRequest, notFound } from '../graph-errors.js';
import { driveItemJson } from '../graph-json.js';
import { isoSeconds } from '../odata.js';
import {
  commitUpload,
  nextExpectedRanges,
  SANDBOX_MAX_FILE_BYTES,
  SANDBOX_MAX_FRAGMENT_BYTES,
  SANDBOX_UPLOAD_ALIGNMENT,
  takeBytes,
  type ConflictBehavior,
  type SandboxUploadSession,
  type SandboxUploadSessions,
} from '../upload-session-state.js';
import { invalidNameReason, parseDriveTarget } from './drive.js';
import type { RouteDeps } from './route-deps.js';

export const UPLOAD_URL_PATH = '/_sandbox/upload';

const SUFFIX = '/createUploadSession';
const MIME: Record<string, string> = { txt: 'text/plain', csv: 'text/csv', json: 'application/json', pdf: 'application/pdf', zip: 'application/zip', png: 'image/png', jpg: 'image/jpeg', mp4: 'video/mp4' };

function mimeOf(name: string): string {
  return MIME[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';
}

function sessionJson(session: SandboxUploadSession): Record<string, unknown> {
  return { expirationDateTime: isoSeconds(session.expiresAt), nextExpectedRanges: nextExpectedRanges(session) };
}

/** `POST .../createUploadSession` under /v1.0 (authenticated like any Graph call). */
export function createUploadSessionRoutes(deps: RouteDeps, sessions: SandboxUploadSessions): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.post('/me/drive/*', async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (!path.endsWith(SUFFIX)) return next();
    requireScope(c, 'drive', 'Files.ReadWrite');
    const target = parseDriveTarget(path.replace(/^\/v1\.0\/me\/drive\//, '').slice(0, -SUFFIX.length));
    if (!target || target.action !== 'item' || target.segments.length === 0) {
      throw badRequest('invalidRequest', 'Address the new file as items/{parent-id}:/{name}: or root:/{path}/{name}:.');
    }
    for (const segment of target.segments) {
      const reason = invalidNameReason(segment);
      if (reason) throw badRequest('invalidRequest', reason);
    }
    let body: { item?: Record<string, unknown> } = {};
    const text = await c.req.text();
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw badRequest('BadRequest', 'Unable to read JSON request payload.');
      }
    }
    const conflict = String(body.item?.['@microsoft.graph.conflictBehavior'] ?? 'replace').toLowerCase();
    if (conflict !== 'fail' && conflict !== 'replace' && conflict !== 'rename') throw badRequest('invalidRequest', `Invalid conflict behavior '${conflict}'.`);
    const user = c.get('user');
    const drive = deps.tenant.drive(user.id);
    const base = drive.get(target.base === 'root' ? drive.rootId : target.base.id);
    if (!base?.isFolder) throw notFound('drive', 'The resource could not be found.');
    const existing = drive.resolvePath(base.id, target.segments);
    if (existing && conflict === 'fail') throw new GraphError(409, 'nameAlreadyExists', `The specified item name already exists. Name: ${existing.name}`);
    const session = sessions.create({ userId: user.id, target: { kind: 'drive', baseId: base.id, segments: target.segments, conflict: conflict as ConflictBehavior } });
    return c.json({ uploadUrl: `${new URL(c.req.url).origin}${UPLOAD_URL_PATH}/${session.id}`, ...sessionJson(session) }, 200);
  });
  return app;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

/** The open session of this kind an upload URL names; the URL is the credential, so a token is refused (401). */
export function liveSession<K extends UploadKind>(c: SandboxContext, sessions: SandboxUploadSessions, kind: K): SandboxUploadSession & { target: Extract<UploadTargetOf, { kind: K }> } {
  if (c.req.header('authorization') !== undefined) {
    throw new GraphError(401, 'unauthenticated', 'Do not send an Authorization header to an upload URL: it is pre-authenticated.');
  }
  const session = sessions.get(c.req.param('id') ?? '');
  if (session === undefined || !isKind(session, kind)) throw new GraphError(404, 'itemNotFound', 'The upload session was not found or has expired.');
  return session;
}

type UploadTargetOf = SandboxUploadSession['target'];
type UploadKind = UploadTargetOf['kind'];

function isKind<K extends UploadKind>(session: SandboxUploadSession, kind: K): session is SandboxUploadSession & { target: Extract<UploadTargetOf, { kind: K }> } {
  return session.target.kind === kind;
}

/** A fragment's `Content-Range: bytes start-end/total`, which `Content-Length` must match. */
export function fragmentRange(c: SandboxContext): { start: number; end: number; total: number; length: number } {
  const m = CONTENT_RANGE.exec(c.req.header('content-range')?.trim() ?? '');
  if (!m) throw badRequest('invalidRequest', 'A Content-Range header of the form "bytes {start}-{end}/{total}" is required.');
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (end < start || end >= total) throw badRequest('invalidRequest', 'The Content-Range is not a valid range of the file.');
  const length = end - start + 1;
  if (Number(c.req.header('content-length') ?? NaN) !== length) throw badRequest('invalidRequest', 'Content-Length must equal the number of bytes in Content-Range.');
  return { start, end, total, length };
}

/**
 * The pre-authenticated upload URL, outside /v1.0: it needs no token and refuses one (401), and
 * enforces Graph's fragment rules so a client that breaks them fails here before it fails in production.
 */
export function uploadUrlRoutes(deps: RouteDeps, sessions: SandboxUploadSessions): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const live = (c: SandboxContext) => liveSession(c, sessions, 'drive');

  app.get(`${UPLOAD_URL_PATH}/:id`, (c) => c.json(sessionJson(live(c))));

  app.delete(`${UPLOAD_URL_PATH}/:id`, (c) => {
    sessions.delete(live(c).id);
    return c.body(null, 204);
  });

  app.put(`${UPLOAD_URL_PATH}/:id`, async (c) => {
    const session = live(c);
    const { start, end, total, length } = fragmentRange(c);
    if (session.total !== undefined && session.total !== total) {
      throw badRequest('invalidRequest', `The file size in Content-Range (${total}) differs from the size given before (${session.total}).`);
    }
    if (length >= SANDBOX_MAX_FRAGMENT_BYTES) {
      // Read the body away first, so the client gets the 413 rather than a reset mid-send.
      await discardBody(c);
      throw new GraphError(413, 'requestTooLarge', 'A fragment must be smaller than 60 MiB.');
    }
    if (length % SANDBOX_UPLOAD_ALIGNMENT !== 0 && end !== total - 1) {
      throw badRequest('invalidRequest', 'Fragment sizes must be a multiple of 320 KiB (327,680 bytes), except for the last fragment.');
    }
    if (start !== session.received) {
      throw new GraphError(416, 'invalidRange', `The fragment overlaps or skips bytes: the next expected range starts at ${session.received}.`);
    }
    if (total > SANDBOX_MAX_FILE_BYTES) {
      await discardBody(c);
      throw new GraphError(413, 'requestTooLarge', `The sandbox keeps files in memory and accepts files up to ${SANDBOX_MAX_FILE_BYTES} bytes.`);
    }
    const received = await receiveFragment(c, sessions, session, { start, length, total });
    if (received === 'short') throw badRequest('invalidRequest', 'The body length differs from Content-Range.');
    if (received === 'raced') throw new GraphError(416, 'invalidRange', `The fragment overlaps already received bytes; next expected ${session.received}.`);
    if (session.received < total) return c.json(sessionJson(session), 202);

    sessions.delete(session.id);
    const drive = deps.tenant.drive(session.userId);
    const name = session.target.segments[session.target.segments.length - 1] ?? '';
    const result = commitUpload(drive, session.target, takeBytes(session), mimeOf(name), deps.now());
    if (!result.ok) throw new GraphError(409, 'nameAlreadyExists', `The specified item name already exists. Name: ${result.conflictName}`);
    return c.json(driveItemJson(result.node, drive, deps.webBase), result.created ? 201 : 200);
  });
  return app;
}

/**
 * Reads a fragment's body into the session's file buffer (allocated once, at the first fragment)
 * while no other fragment of the session is arriving; a racing one is read aside, so bytes that
 * were accepted are never overwritten by one that will be refused. `short`: the body ended early;
 * `raced`: another fragment landed while this one arrived (the caller answers 416).
 */
export async function receiveFragment(
  c: SandboxContext,
  sessions: SandboxUploadSessions,
  session: SandboxUploadSession,
  range: { start: number; length: number; total: number },
): Promise<'accepted' | 'short' | 'raced'> {
  const { start, length, total } = range;
  const file = sessions.fileBuffer(session, total);
  const writer = {};
  const aside = session.writer === undefined ? undefined : Buffer.allocUnsafe(length);
  if (aside === undefined) session.writer = writer;
  let filled: number;
  try {
    filled = await readBody(c, length, (piece, at) => {
      if (aside !== undefined) aside.set(piece, at);
      else if (session.writer === writer) file.set(piece, start + at);
    });
  } finally {
    if (session.writer === writer) delete session.writer;
  }
  if (filled !== length) return 'short';
  // Checked again: another fragment may have landed while this body was arriving.
  if (sessions.get(session.id) !== session || start !== session.received) return 'raced';
  if (aside !== undefined) {
    delete session.writer;
    file.set(aside, start);
  }
  sessions.advance(session, length, total);
  return 'accepted';
}

/** Hands the body's pieces to `write` with their offset (from the socket when running on Node); returns how many bytes came. */
async function readBody(c: SandboxContext, length: number, write: (piece: Uint8Array, at: number) => void): Promise<number> {
  const incoming = c.env?.incoming;
  const pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = incoming ? (incoming as AsyncIterable<Buffer>) : [new Uint8Array(await c.req.arrayBuffer())];
  let filled = 0;
  for await (const piece of pieces) {
    if (filled + piece.byteLength > length) throw badRequest('invalidRequest', 'The body is longer than Content-Range says.');
    write(piece, filled);
    filled += piece.byteLength;
  }
  return filled;
}

export async function discardBody(c: SandboxContext): Promise<void> {
  const incoming = c.env?.incoming;
  if (incoming) for await (const _piece of incoming as AsyncIterable<Buffer>) void _piece;
  else await c.req.arrayBuffer();
}
