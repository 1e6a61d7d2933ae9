import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { fileBytes } from '../content.js';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { GraphError, badRequest, notFound } from '../graph-errors.js';
import { driveItemJson } from '../graph-json.js';
import {
  applySelect,
  decodeSkipToken,
  encodeSkipToken,
  nextLink,
  pageAfter,
  parseSelect,
  parseTop,
} from '../odata.js';
import type { Drive, DriveNode } from '../sandbox-tenant.js';
import type { RouteDeps } from './route-deps.js';
import { odataContext } from './route-deps.js';

/** OneDrive's simple-upload ceiling; larger files need an upload session. */
export const SIMPLE_UPLOAD_LIMIT_BYTES = 250 * 1024 * 1024;

interface DriveTarget {
  base: 'root' | { id: string };
  segments: string[];
  action: 'item' | 'children' | 'content';
}

/** Parses what follows `/me/drive/`: `root`, `items/{id}`, optionally `:/a/b:`, then `/children` or `/content`. */
export function parseDriveTarget(rawRest: string): DriveTarget | undefined {
  const m = /^(root|items\/([^/:]+))(.*)$/.exec(rawRest);
  if (!m) return undefined;
  const base = m[2] === undefined ? 'root' : { id: decodeURIComponent(m[2]) };
  let tail = m[3] ?? '';
  let segments: string[] = [];
  if (tail.startsWith(':')) {
    const inner = tail.slice(1);
    const closing = inner.indexOf(':');
    const pathPart = closing === -1 ? inner : inner.slice(0, closing);
    tail = closing === -1 ? '' : inner.slice(closing + 1);
    try {
      segments = pathPart
        .split('/')
        .filter((s) => s !== '')
        .map((s) => decodeURIComponent(s));
    } catch {
      return undefined;
    }
  }
  const action =
    tail === '' || tail === '/'
      ? 'item'
      : tail === '/children'
        ? 'children'
        : tail === '/content'
          ? 'content'
          : undefined;
  return action === undefined ? undefined : { base, segments, action };
}

const FORBIDDEN_CHARS = /["*:<>?/\\|]/;
const RESERVED = /^(\.lock|con|prn|aux|nul|com\d|lpt\d|_vti_|desktop\.ini)$/i;

/** OneDrive for Business naming rules. */
export function invalidNameReason(name: string): string | undefined {
  if (name.length === 0) return 'The name is empty.';
  if (FORBIDDEN_CHARS.test(name)) return `The name '${name}' contains a character that is not allowed.`;
  if (name !== name.trim()) return `The name '${name}' has leading or trailing spaces.`;
  if (RESERVED.test(name) || name.startsWith('~$') || name.includes('_vti_'))
    return `The name '${name}' is reserved.`;
  if (name.length > 400) return 'The name is too long.';
  return undefined;
}

function mimeTypeFor(name: string, declared: string | undefined): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const known: Record<string, string> = {
    txt: 'text/plain',
    md: 'text/markdown',
    csv: 'text/csv',
    json: 'application/json',
    pdf: 'application/pdf',
    jpg: 'image/jpeg',
    png: 'image/png',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  };
  return (
    known[ext] ??
    (declared && declared !== 'application/x-www-form-urlencoded'
      ? (declared.split(';')[0] ?? declared)
      : 'application/octet-stream')
  );
}

function renameFree(drive: Drive, parentId: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 1; ; i++) {
    const candidate = `${stem} ${i}${ext}`;
    if (!drive.child(parentId, candidate)) return candidate;
  }
}

interface DownloadGrant {
  u: string;
  i: string;
  e: number;
}

function signGrant(secret: string, grant: DownloadGrant): string {
  const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

function verifyGrant(secret: string, token: string, nowMs: number): DownloadGrant | undefined {
  const [payload, sig] = token.split('.');
  if (!payload || !sig) return undefined;
  const expected = Buffer.from(createHmac('sha256', secret).update(payload).digest('base64url'));
  if (expected.length !== sig.length || !timingSafeEqual(expected, Buffer.from(sig))) return undefined;
  const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as DownloadGrant;
  return grant.e > nowMs ? grant : undefined;
}

/** A single `bytes=` range → [start, endInclusive]; null when unsatisfiable, undefined when absent or unparsable (serve whole). */
function parseRange(header: string | undefined, size: number): [number, number] | null | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return null;
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return null;
  return [start, end];
}

export function driveRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  const target = (c: SandboxContext): DriveTarget => {
    const rest = new URL(c.req.url).pathname.replace(/^\/v1\.0\/me\/drive\//, '');
    const parsed = parseDriveTarget(rest);
    if (!parsed) throw badRequest('invalidRequest', `Invalid request: unsupported drive path '${rest}'.`);
    return parsed;
  };
  const baseNode = (drive: Drive, t: DriveTarget): DriveNode => {
    const node = drive.get(t.base === 'root' ? drive.rootId : t.base.id);
    if (!node) throw notFound('drive', 'The resource could not be found.');
    return node;
  };

  app.get('/me/drive/*', (c) => {
    requireScope(c, 'drive', 'Files.Read');
    const t = target(c);
    const user = c.get('user');
    const drive = deps.tenant.drive(user.id);
    const node = drive.resolvePath(baseNode(drive, t).id, t.segments);
    if (!node) throw notFound('drive', 'The resource could not be found.');
    const select = parseSelect(c.req.query('$select'));
    if (t.action === 'item') {
      return c.json(
        applySelect(
          {
            '@odata.context': odataContext(c.req.url, `users('${user.id}')/drive/items/$entity`),
            ...driveItemJson(node, drive, deps.webBase),
          },
          select,
        ),
      );
    }
    if (t.action === 'children') {
      const top = parseTop(c.req.query('$top'), 200, 1000);
      const token = decodeSkipToken(c.req.query('$skiptoken'));
      const after = token?.[0];
      const children = drive.children(node.id);
      const isAfter =
        typeof after === 'string' ? (n: DriveNode): boolean => n.name.toLowerCase() > after : undefined;
      const { items, more } = pageAfter(children, false, isAfter, undefined, top);
      const body: Record<string, unknown> = {
        '@odata.context': odataContext(c.req.url, `users('${user.id}')/drive/items('${node.id}')/children`),
        value: items.map((n) => applySelect(driveItemJson(n, drive, deps.webBase), select)),
      };
      const last = items[items.length - 1];
      if (more && last)
        body['@odata.nextLink'] = nextLink(c.req.url, encodeSkipToken([last.name.toLowerCase()]));
      return c.json(body);
    }
    if (node.isFolder) throw badRequest('invalidRequest', 'Cannot download the content of a folder.');
    const grant = signGrant(deps.downloadSecret, {
      u: user.id,
      i: node.id,
      e: deps.now() + deps.downloadUrlTtlMs,
    });
    return c.body(null, 302, { Location: `${new URL(c.req.url).origin}/_sandbox/download/${grant}` });
  });

  app.put('/me/drive/*', async (c) => {
    requireScope(c, 'drive', 'Files.ReadWrite');
    const t = target(c);
    if (t.action !== 'content')
      throw badRequest('invalidRequest', 'Only content uploads are supported on this path.');
    const declaredLength = Number(c.req.header('content-length') ?? '0');
    if (declaredLength > SIMPLE_UPLOAD_LIMIT_BYTES)
      throw new GraphError(
        413,
        'requestTooLarge',
        'The request is too large for a simple upload; use an upload session for files over 250 MB.',
      );
    const behavior = (c.req.query('@microsoft.graph.conflictBehavior') ?? 'replace').toLowerCase();
    if (!['fail', 'replace', 'rename'].includes(behavior))
      throw badRequest('invalidRequest', `Invalid conflict behavior '${behavior}'.`);
    for (const segment of t.segments) {
      const reason = invalidNameReason(segment);
      if (reason) throw badRequest('invalidRequest', reason);
    }
    const data = Buffer.from(await c.req.arrayBuffer());
    if (data.length > SIMPLE_UPLOAD_LIMIT_BYTES)
      throw new GraphError(
        413,
        'requestTooLarge',
        'The request is too large for a simple upload; use an upload session for files over 250 MB.',
      );
    const user = c.get('user');
    const drive = deps.tenant.drive(user.id);
    const now = deps.now();
    let parent = baseNode(drive, t);
    const mime = (name: string): string => mimeTypeFor(name, c.req.header('content-type'));
    const json = (n: DriveNode, status: 200 | 201): Response =>
      c.json(driveItemJson(n, drive, deps.webBase), status);

    if (t.segments.length === 0) {
      // PUT /items/{id}/content: replace an existing file's bytes.
      if (parent.isFolder) throw badRequest('invalidRequest', 'Cannot upload content to a folder.');
      return json(drive.replaceContent(parent.id, data, mime(parent.name), now), 200);
    }
    const folders = t.segments.slice(0, -1);
    const fileName = t.segments[t.segments.length - 1] ?? '';
    for (const name of folders) {
      const existing = drive.child(parent.id, name);
      if (existing && !existing.isFolder)
        throw new GraphError(
          409,
          'nameAlreadyExists',
          `The specified item name already exists. Name: ${name}`,
        );
      parent =
        existing ??
        drive.add({ name, parentId: parent.id, isFolder: true, size: 0, createdMs: now, modifiedMs: now });
    }
    if (!parent.isFolder) throw badRequest('invalidRequest', 'The parent item is not a folder.');
    const existing = drive.child(parent.id, fileName);
    if (existing) {
      if (behavior === 'fail' || existing.isFolder)
        throw new GraphError(
          409,
          'nameAlreadyExists',
          `The specified item name already exists. Name: ${existing.name}`,
        );
      if (behavior === 'replace')
        return json(drive.replaceContent(existing.id, data, mime(existing.name), now), 200);
    }
    const name = existing ? renameFree(drive, parent.id, fileName) : fileName;
    const created = drive.add({
      name,
      parentId: parent.id,
      isFolder: false,
      size: data.length,
      createdMs: now,
      modifiedMs: now,
      mimeType: mime(name),
      content: { kind: 'bytes', data },
    });
    return json(created, 201);
  });

  return app;
}

/** The pre-authenticated download endpoint the 302 points at: no Authorization, honours single byte ranges. */
export function downloadRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/_sandbox/download/:token', (c) => {
    const grant = verifyGrant(deps.downloadSecret, c.req.param('token'), deps.now());
    if (!grant) throw new GraphError(401, 'unauthenticated', 'The download URL is invalid or has expired.');
    const drive = deps.tenant.drive(grant.u);
    const node = drive.get(grant.i);
    if (!node?.content) throw notFound('drive');
    const bytes = fileBytes(node.content, node.size);
    const headers = { 'Content-Type': node.mimeType ?? 'application/octet-stream', 'Accept-Ranges': 'bytes' };
    const range = parseRange(c.req.header('range'), bytes.length);
    if (range === null) return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${bytes.length}` });
    if (range === undefined)
      return c.body(new Uint8Array(bytes), 200, { ...headers, 'Content-Length': String(bytes.length) });
    const [start, end] = range;
    return c.body(new Uint8Array(bytes.subarray(start, end + 1)), 206, {
      ...headers,
      'Content-Range': `bytes ${start}-${end}/${bytes.length}`,
      'Content-Length': String(end - start + 1),
    });
  });
  return app;
}
