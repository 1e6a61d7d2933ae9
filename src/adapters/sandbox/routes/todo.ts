import { Hono } from 'hono';
import { z } from 'zod';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { badRequest, notFound } from '../graph-errors.js';
import { exchangeId } from '../ids.js';
import { decodeSkipToken, encodeSkipToken, nextLink, parseTop } from '../odata.js';
import { createPrng, hashToUint32 } from '../prng.js';
import type { SandboxUser } from '../sandbox-tenant.js';
import type { RouteDeps } from './route-deps.js';
import { odataContext } from './route-deps.js';
import { readJsonBody, ONEDRIVE_BODY_ERRORS } from './json-body.js';

/** Microsoft To Do (`/me/todo/lists`, `.../tasks`), seeded per user on first use. */

interface StoredTask {
  id: string;
  title: string;
  status: 'notStarted' | 'inProgress' | 'completed';
  importance: 'low' | 'normal' | 'high';
  body: string;
  createdMs: number;
  dueMs?: number;
  completedMs?: number;
}
interface StoredList {
  id: string;
  displayName: string;
  wellknownListName: 'defaultList' | 'none';
  tasks: StoredTask[];
}

const DAY = 86_400_000;
const TITLES = ['Review budget draft', 'Send slides to Alex', 'Book travel to Seattle', 'Renew badge', 'Prepare Q1 report', 'Call Litware about the contract', 'Update project plan', 'Expense receipts', 'Team lunch booking', 'Read design doc'];
const LISTS = [
  { name: 'Tasks', wellknown: 'defaultList' as const, count: 60 },
  { name: 'Project Apollo', wellknown: 'none' as const, count: 12 },
];

const taskSchema = z.object({
  title: z.string().min(1).max(255),
  body: z.object({ content: z.string(), contentType: z.string() }).optional(),
  dueDateTime: z.object({ dateTime: z.string(), timeZone: z.string() }).optional(),
  importance: z.enum(['low', 'normal', 'high']).optional(),
});
const patchSchema = z.object({ status: z.enum(['notStarted', 'inProgress', 'completed']).optional(), title: z.string().min(1).max(255).optional() });

/** To Do's `{dateTime, timeZone}`: UTC with seven fractional digits, no offset. */
const dateTimeTimeZone = (ms: number): { dateTime: string; timeZone: string } => ({ dateTime: new Date(ms).toISOString().replace('Z', '0000'), timeZone: 'UTC' });

function taskJson(t: StoredTask): Record<string, unknown> {
  return {
    '@odata.etag': `W/"${t.id.slice(-8)}"`,
    id: t.id,
    title: t.title,
    status: t.status,
    importance: t.importance,
    isReminderOn: false,
    createdDateTime: new Date(t.createdMs).toISOString(),
    lastModifiedDateTime: new Date(t.completedMs ?? t.createdMs).toISOString(),
    body: { content: t.body, contentType: 'text' },
    ...(t.dueMs === undefined ? {} : { dueDateTime: dateTimeTimeZone(t.dueMs) }),
    ...(t.completedMs === undefined ? {} : { completedDateTime: dateTimeTimeZone(t.completedMs) }),
  };
}

export function todoRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const users = new Map<string, StoredList[]>();
  let created = 0;

  const listsOf = (user: SandboxUser): StoredList[] => {
    let lists = users.get(user.id);
    if (lists) return lists;
    const prng = createPrng(hashToUint32(deps.tenant.seed, 'todo', user.id));
    const base = deps.now();
    lists = LISTS.map((l, li) => ({
      id: exchangeId('todoList', user.id, li),
      displayName: l.name,
      wellknownListName: l.wellknown,
      tasks: Array.from({ length: l.count }, (_, i): StoredTask => {
        const done = prng.chance(0.3);
        const createdMs = base - prng.int(1, 60) * DAY;
        return {
          id: exchangeId('todoTask', user.id, li, i),
          title: `${prng.pick(TITLES)} #${i + 1}`,
          status: done ? 'completed' : prng.chance(0.2) ? 'inProgress' : 'notStarted',
          importance: prng.pick(['low', 'normal', 'normal', 'high'] as const),
          body: '',
          createdMs,
          ...(prng.chance(0.5) ? { dueMs: Math.floor(base / DAY + prng.int(-5, 20)) * DAY } : {}),
          ...(done ? { completedMs: createdMs + DAY } : {}),
        };
      }),
    }));
    users.set(user.id, lists);
    return lists;
  };
  const listOf = (c: SandboxContext): StoredList => {
    const list = listsOf(c.get('user')).find((l) => l.id === c.req.param('listId'));
    if (!list) throw notFound('graph', 'The requested list was not found.');
    return list;
  };
  const taskOf = (c: SandboxContext): StoredTask => {
    const task = listOf(c).tasks.find((t) => t.id === c.req.param('taskId'));
    if (!task) throw notFound('graph', 'The requested task was not found.');
    return task;
  };

  app.get('/me/todo/lists', (c) => {
    requireScope(c, 'graph', 'Tasks.Read');
    const user = c.get('user');
    const value = listsOf(user).map((l) => ({ id: l.id, displayName: l.displayName, isOwner: true, isShared: false, wellknownListName: l.wellknownListName }));
    return c.json({ '@odata.context': odataContext(c.req.url, `users('${user.id}')/todo/lists`), value });
  });

  app.get('/me/todo/lists/:listId/tasks', (c) => {
    requireScope(c, 'graph', 'Tasks.Read');
    const list = listOf(c);
    const filter = c.req.query('$filter');
    if (filter !== undefined && filter !== "status ne 'completed'") throw badRequest('BadRequest', `Unsupported filter: ${filter.slice(0, 80)}`);
    const top = parseTop(c.req.query('$top'), 100, 1000);
    const after = Number(decodeSkipToken(c.req.query('$skiptoken'))?.[0] ?? -1);
    const indexed = list.tasks.map((t, i) => ({ t, i })).filter(({ t, i }) => i > after && (filter === undefined || t.status !== 'completed'));
    const page = indexed.slice(0, top);
    const body: Record<string, unknown> = { '@odata.context': odataContext(c.req.url, `users('${c.get('user').id}')/todo/lists('${list.id}')/tasks`), value: page.map(({ t }) => taskJson(t)) };
    const last = page[page.length - 1];
    if (indexed.length > top && last) body['@odata.nextLink'] = nextLink(c.req.url, encodeSkipToken([last.i]));
    return c.json(body);
  });

  app.post('/me/todo/lists/:listId/tasks', async (c) => {
    requireScope(c, 'graph', 'Tasks.ReadWrite');
    const list = listOf(c);
    const body = await readJsonBody(c, taskSchema, ONEDRIVE_BODY_ERRORS);
    let dueMs: number | undefined;
    if (body.dueDateTime) {
      dueMs = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(body.dueDateTime.dateTime) ? body.dueDateTime.dateTime : `${body.dueDateTime.dateTime}Z`);
      if (Number.isNaN(dueMs)) throw badRequest('invalidRequest', 'Invalid dueDateTime.');
    }
    const task: StoredTask = {
      id: exchangeId(deps.tenant.seed, 'todoTask', 'runtime', ++created),
      title: body.title,
      status: 'notStarted',
      importance: body.importance ?? 'normal',
      body: body.body?.content ?? '',
      createdMs: deps.now(),
      ...(dueMs === undefined ? {} : { dueMs }),
    };
    list.tasks.push(task);
    return c.json(taskJson(task), 201);
  });

  app.patch('/me/todo/lists/:listId/tasks/:taskId', async (c) => {
    requireScope(c, 'graph', 'Tasks.ReadWrite');
    const task = taskOf(c);
    const body = await readJsonBody(c, patchSchema, ONEDRIVE_BODY_ERRORS);
    if (body.title !== undefined) task.title = body.title;
    if (body.status !== undefined && body.status !== task.status) {
      task.status = body.status;
      if (body.status === 'completed') task.completedMs = deps.now();
      else delete task.completedMs;
    }
    return c.json(taskJson(task));
  });

  return app;
}
