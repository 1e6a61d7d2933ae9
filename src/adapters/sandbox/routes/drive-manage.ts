import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { GraphError, accessDenied, badRequest, notFound } from '../graph-errors.js';
import { driveItemJson } from '../graph-json.js';
import { guidFrom } from '../ids.js';
import { applySelect, decodeSkipToken, encodeSkipToken, nextLink, parseSelect, parseTop } from '../odata.js';
import { hashToUint32 } from '../prng.js';
import type { Drive, DriveNode, SandboxUser } from '../sandbox-tenant.js';
import { invalidNameReason, parseDriveTarget } from './drive.js';
import type { RouteDeps } from './route-deps.js';
import { odataContext } from './route-deps.js';
import { readJsonBody, ONEDRIVE_BODY_ERRORS } from './json-body.js';

/**
 * OneDrive item management in Graph's wire format: search, sharedWithMe, items in shared drives,
 * create folder, move/rename (PATCH), copy (202 + monitor URL), delete, createLink, versions.
 * Items in a colleague's `/Shared` folder count as shared with everyone in the tenant.
 */

const SHARED_FOLDER = 'Shared';
/** A folder copy with more items than this reports `inProgress` on its first monitor poll. */
const SLOW_COPY_ITEMS = 20;

const patchSchema = z.object({ name: z.string().optional(), parentReference: z.object({ id: z.string() }).optional() });
const folderSchema = z.object({ name: z.string(), folder: z.object({}).passthrough(), '@microsoft.graph.conflictBehavior': z.string().optional() });
const copySchema = z.object({ parentReference: z.object({ id: z.string(), driveId: z.string().optional() }), name: z.string().optional() });
const linkSchema = z.object({ type: z.enum(['view', 'edit', 'embed']), scope: z.enum(['anonymous', 'organization', 'users']).optional() });

function freeName(drive: Drive, parentId: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  for (let i = 1; ; i++) if (!drive.child(parentId, `${stem} ${i}${ext}`)) return `${stem} ${i}${ext}`;
}

const nameTaken = (name: string): GraphError => new GraphError(409, 'nameAlreadyExists', `The specified item name already exists. Name: ${name}`);

function checkName(name: string): void {
  const reason = invalidNameReason(name);
  if (reason) throw badRequest('invalidRequest', reason);
}

function countItems(drive: Drive, node: DriveNode): number {
  return 1 + drive.children(node.id).reduce((n, child) => n + countItems(drive, child), 0);
}

interface CopyOperation {
  resourceId: string;
  pendingPolls: number;
}

/** The Graph routes (`api`, under /v1.0) and the pre-authenticated copy monitor (`monitor`, at the root). */
export function driveManageRoutes(deps: RouteDeps): { api: Hono<SandboxEnv>; monitor: Hono<SandboxEnv> } {
  const app = new Hono<SandboxEnv>();
  const links = new Map<string, Record<string, unknown>>();
  const monitors = new Map<string, CopyOperation>();

  const myDrive = (c: SandboxContext): Drive => deps.tenant.drive(c.get('user').id);
  const itemOf = (c: SandboxContext, drive = myDrive(c)): DriveNode => {
    const node = drive.get(c.req.param('id') ?? '');
    if (!node) throw notFound('drive', 'The resource could not be found.');
    return node;
  };
  const json = (c: SandboxContext, drive: Drive, node: DriveNode, status: 200 | 201 = 200): Response =>
    c.json({ '@odata.context': odataContext(c.req.url, `users('${drive.userId}')/drive/items/$entity`), ...driveItemJson(node, drive, deps.webBase) }, status);
  const colleagues = (user: SandboxUser): SandboxUser[] => deps.tenant.users.filter((u) => u.tenantId === user.tenantId && u.id !== user.id);
  const sharedFolderOf = (drive: Drive): DriveNode | undefined => drive.child(drive.rootId, SHARED_FOLDER);

  app.get('/me/drive/root/:fn{search\\(.*\\)}', (c) => {
    requireScope(c, 'drive', 'Files.Read');
    const raw = /search\(q='(.*)'\)$/.exec(decodeURIComponent(new URL(c.req.url).pathname));
    if (!raw) throw badRequest('invalidRequest', "Invalid request: expected search(q='...').");
    const terms = (raw[1] ?? '').replace(/''/g, "'").toLowerCase().split(/\s+/).filter(Boolean);
    const drive = myDrive(c);
    const top = parseTop(c.req.query('$top'), 200, 1000);
    const after = decodeSkipToken(c.req.query('$skiptoken'));
    const key = (n: DriveNode): string => `${n.name.toLowerCase()}\u0000${n.id}`;
    const hits = [...drive.all]
      .filter((n) => n.parentId !== null && terms.length > 0 && terms.every((t) => n.name.toLowerCase().includes(t)))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1))
      .filter((n) => typeof after?.[0] !== 'string' || key(n) > after[0]);
    const page = hits.slice(0, top);
    const select = parseSelect(c.req.query('$select'));
    const body: Record<string, unknown> = {
      '@odata.context': odataContext(c.req.url, 'Collection(driveItem)'),
      value: page.map((n) => applySelect(driveItemJson(n, drive, deps.webBase), select)),
    };
    const last = page[page.length - 1];
    if (hits.length > top && last) body['@odata.nextLink'] = nextLink(c.req.url, encodeSkipToken([key(last)]));
    return c.json(body);
  });

  app.get('/me/drive/sharedWithMe', (c) => {
    requireScope(c, 'drive', 'Files.Read.All');
    const user = c.get('user');
    const value = colleagues(user).flatMap((owner) => {
      const drive = deps.tenant.drive(owner.id);
      const shared = sharedFolderOf(drive);
      return (shared ? drive.children(shared.id).slice(0, 3) : []).map((n) => {
        const item = driveItemJson(n, drive, deps.webBase);
        const by = { user: { displayName: owner.displayName, email: owner.mail } };
        return { id: n.id, name: n.name, size: item.size, webUrl: item.webUrl, remoteItem: { ...item, shared: { owner: by, sharedBy: by } } };
      });
    });
    return c.json({ '@odata.context': odataContext(c.req.url, 'Collection(driveItem)'), value });
  });

  app.get('/drives/:driveId/items/:id', (c) => {
    requireScope(c, 'drive', 'Files.Read.All');
    const user = c.get('user');
    const owner = [user, ...colleagues(user)].find((u) => deps.tenant.drive(u.id).id === c.req.param('driveId'));
    if (!owner) throw notFound('drive', 'The resource could not be found.');
    const drive = deps.tenant.drive(owner.id);
    const node = itemOf(c, drive);
    const shared = sharedFolderOf(drive);
    if (owner.id !== user.id && (!shared || node.id === shared.id || !drive.isWithin(node.id, shared.id))) throw accessDenied('drive');
    return c.json(applySelect({ '@odata.context': odataContext(c.req.url, `drives('${drive.id}')/items/$entity`), ...driveItemJson(node, drive, deps.webBase) }, parseSelect(c.req.query('$select'))));
  });

  const createFolder = async (c: SandboxContext, parent: DriveNode): Promise<Response> => {
    requireScope(c, 'drive', 'Files.ReadWrite');
    const body = await readJsonBody(c, folderSchema, ONEDRIVE_BODY_ERRORS);
    checkName(body.name);
    if (!parent.isFolder) throw badRequest('invalidRequest', 'The parent item is not a folder.');
    const drive = myDrive(c);
    const behavior = body['@microsoft.graph.conflictBehavior'] ?? 'fail';
    let name = body.name;
    if (drive.child(parent.id, name)) {
      if (behavior !== 'rename') throw nameTaken(name);
      name = freeName(drive, parent.id, name);
    }
    const now = deps.now();
    return json(c, drive, drive.add({ name, parentId: parent.id, isFolder: true, size: 0, createdMs: now, modifiedMs: now }), 201);
  };

  app.patch('/me/drive/items/:id', async (c) => {
    requireScope(c, 'drive', 'Files.ReadWrite');
    const drive = myDrive(c);
    const node = itemOf(c, drive);
    if (node.parentId === null) throw badRequest('invalidRequest', 'The root folder cannot be moved or renamed.');
    const body = await readJsonBody(c, patchSchema, ONEDRIVE_BODY_ERRORS);
    const name = body.name ?? node.name;
    checkName(name);
    const parentId = body.parentReference?.id ?? node.parentId;
    const parent = drive.get(parentId);
    if (!parent) throw notFound('drive', 'The destination folder could not be found.');
    if (!parent.isFolder) throw badRequest('invalidRequest', 'The destination is not a folder.');
    if (drive.isWithin(parent.id, node.id)) throw badRequest('invalidRequest', 'A folder cannot be moved into itself or one of its subfolders.');
    const clash = drive.child(parent.id, name);
    if (clash && clash.id !== node.id) throw nameTaken(name);
    return json(c, drive, drive.relocate(node.id, parent.id, name, deps.now()));
  });

  app.post('/me/drive/items/:id/copy', async (c) => {
    requireScope(c, 'drive', 'Files.ReadWrite');
    const drive = myDrive(c);
    const source = itemOf(c, drive);
    if (source.parentId === null) throw badRequest('invalidRequest', 'The root folder cannot be copied.');
    const body = await readJsonBody(c, copySchema, ONEDRIVE_BODY_ERRORS);
    if (body.parentReference.driveId !== undefined && body.parentReference.driveId !== drive.id) throw badRequest('invalidRequest', 'The sandbox copies within one drive only.');
    const parent = drive.get(body.parentReference.id);
    if (!parent?.isFolder) throw badRequest('invalidRequest', 'The destination folder does not exist.');
    if (source.isFolder && drive.isWithin(parent.id, source.id)) throw badRequest('invalidRequest', 'A folder cannot be copied into itself.');
    let name = body.name ?? source.name;
    checkName(name);
    if (drive.child(parent.id, name)) {
      if ((c.req.query('@microsoft.graph.conflictBehavior') ?? 'fail') !== 'rename') throw nameTaken(name);
      name = freeName(drive, parent.id, name);
    }
    const now = deps.now();
    const copyInto = (node: DriveNode, parentIdTo: string, as: string): DriveNode => {
      const { id: _id, childIds: _children, parentId: _parent, ...rest } = node;
      const copied = drive.add({ ...rest, name: as, parentId: parentIdTo, createdMs: now, modifiedMs: now });
      for (const child of drive.children(node.id)) copyInto(child, copied.id, child.name);
      return copied;
    };
    const copied = copyInto(source, parent.id, name);
    const token = guidFrom('monitor', copied.id);
    monitors.set(token, { resourceId: copied.id, pendingPolls: countItems(drive, copied) > SLOW_COPY_ITEMS ? 1 : 0 });
    return c.body(null, 202, { Location: `${new URL(c.req.url).origin}/_sandbox/monitor/${token}` });
  });

  app.delete('/me/drive/items/:id', (c) => {
    requireScope(c, 'drive', 'Files.ReadWrite');
    const drive = myDrive(c);
    const node = itemOf(c, drive);
    if (node.parentId === null) throw badRequest('invalidRequest', 'The root folder cannot be deleted.');
    drive.remove(node.id);
    return c.body(null, 204);
  });

  app.post('/me/drive/items/:id/createLink', async (c) => {
    requireScope(c, 'drive', 'Files.ReadWrite');
    const node = itemOf(c);
    const body = await readJsonBody(c, linkSchema, ONEDRIVE_BODY_ERRORS);
    const scope = body.scope ?? 'anonymous';
    const key = `${node.id}|${body.type}|${scope}`;
    const existing = links.get(key);
    if (existing) return c.json(existing, 200);
    const id = guidFrom('link', key);
    const permission = {
      '@odata.context': odataContext(c.req.url, 'microsoft.graph.permission'),
      id,
      roles: [body.type === 'edit' ? 'write' : 'read'],
      link: { type: body.type, scope, webUrl: `${deps.webBase}/:${node.isFolder ? 'f' : 'w'}:/g/personal/${c.get('user').id}/${id.replace(/-/g, '')}` },
    };
    links.set(key, permission);
    return c.json(permission, 201);
  });

  app.get('/me/drive/items/:id/versions', (c) => {
    requireScope(c, 'drive', 'Files.Read');
    const node = itemOf(c);
    if (node.isFolder) throw badRequest('invalidRequest', 'Versions are only available for files.');
    const user = c.get('user');
    const count = 1 + (hashToUint32(deps.tenant.seed, 'versions', node.id) % 4);
    const value = Array.from({ length: count }, (_, i) => ({
      id: `${count - i}.0`,
      lastModifiedDateTime: new Date(node.modifiedMs - i * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      size: Math.max(0, node.size - i * 97),
      lastModifiedBy: { user: { displayName: user.displayName, email: user.mail } },
    }));
    return c.json({ '@odata.context': odataContext(c.req.url, `users('${user.id}')/drive/items('${node.id}')/versions`), value });
  });

  // Last: `root/children`, `items/{id}/children` and `root:/a/b:/children` create folders.
  app.post('/me/drive/*', (c) => {
    const t = parseDriveTarget(new URL(c.req.url).pathname.replace(/^\/v1\.0\/me\/drive\//, ''));
    if (t?.action !== 'children') throw badRequest('invalidRequest', 'Invalid request: unsupported drive path.');
    const drive = myDrive(c);
    const base = drive.get(t.base === 'root' ? drive.rootId : t.base.id);
    const parent = base && drive.resolvePath(base.id, t.segments);
    if (!parent) throw notFound('drive', 'The resource could not be found.');
    return createFolder(c, parent);
  });

  return { api: app, monitor: monitorRoutes(monitors) };
}

/** The monitor URL a copy's 202 points at: no Authorization, like OneDrive's. */
function monitorRoutes(monitors: Map<string, CopyOperation>): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  app.get('/_sandbox/monitor/:token', (c) => {
    const op = monitors.get(c.req.param('token'));
    if (!op) throw notFound('drive', 'The operation could not be found.');
    if (op.pendingPolls > 0) {
      op.pendingPolls--;
      return c.json({ operation: 'itemCopy', percentageComplete: 50, status: 'inProgress' }, 202);
    }
    return c.json({ operation: 'itemCopy', percentageComplete: 100, resourceId: op.resourceId, status: 'completed' });
  });
  return app;
}
