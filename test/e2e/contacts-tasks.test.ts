import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_EXTERNAL_CONTACTS } from '../../src/adapters/sandbox/routes/contacts.js';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../support/gateway.js';

interface Contact {
  id: string;
  displayName: string;
  emails: string[];
  companyName?: string;
  jobTitle?: string;
  mobilePhone?: string;
}
interface Task {
  id: string;
  title: string;
  status: string;
  importance: string;
  dueDate?: string;
  completedAt?: string;
}

describe('contacts, people and To Do tasks through the MCP SDK client against the sandbox', () => {
  let gateway: RunningGateway;
  let megan: Client;
  const stamp = Date.now();

  beforeAll(async () => {
    gateway = await startTestGateway();
    megan = await connectClient(gateway, 'megan');
  });
  afterAll(async () => {
    await megan.close();
    await gateway.close();
  });

  it('pages through contacts by name and filters by a name prefix', async () => {
    const colleagues = gateway.sandbox!.tenant.users.filter((u) => u.tenantId === seededUser('megan').tenantId).length - 1;
    const all: Contact[] = [];
    let cursor: string | undefined;
    do {
      const page = await callOk<{ contacts: Contact[]; nextCursor?: string }>(megan, 'contacts_list', { pageSize: 7, ...(cursor ? { cursor } : {}) });
      all.push(...page.contacts);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(colleagues + SEEDED_EXTERNAL_CONTACTS);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    const names = all.map((c) => c.displayName.toLowerCase());
    expect(names).toEqual([...names].sort());
    const alex = await callOk<{ contacts: Contact[] }>(megan, 'contacts_list', { query: 'Ale' });
    expect(alex.contacts.map((c) => c.displayName)).toContain('Alex Wilber');
    expect(alex.contacts.every((c) => c.displayName.split(' ').some((w) => w.toLowerCase().startsWith('ale')))).toBe(true);
    expect((await callError(megan, 'contacts_list', { query: ' ' })).code).toBe('contacts.invalidQuery');
  });

  it('creates, reads and updates a contact, and validates fields', async () => {
    const created = await callOk<Contact>(megan, 'contacts_create', { givenName: 'Zoe', surname: `Test${stamp}`, emails: ['zoe@litware.example'], companyName: 'Litware' });
    expect(created).toMatchObject({ displayName: `Zoe Test${stamp}`, emails: ['zoe@litware.example'], companyName: 'Litware' });
    const updated = await callOk<Contact>(megan, 'contacts_update', { contactId: created.id, jobTitle: 'CTO', mobilePhone: '+1 555 0100' });
    expect(updated).toMatchObject({ id: created.id, jobTitle: 'CTO', mobilePhone: '+1 555 0100', companyName: 'Litware' });
    expect(await callOk<Contact>(megan, 'contacts_get', { contactId: created.id })).toEqual(updated);
    expect((await callError(megan, 'contacts_create', { companyName: 'Nameless' })).code).toBe('contacts.missingName');
    expect((await callError(megan, 'contacts_update', { contactId: created.id })).code).toBe('contacts.nothingToChange');
    expect((await callError(megan, 'contacts_create', { givenName: 'a\u0007b' })).code).toBe('contacts.invalidText');
    expect((await callError(megan, 'contacts_get', { contactId: 'missing' })).category).toBe('not_found');
  });

  it('finds relevant people by name', async () => {
    const { people } = await callOk<{ people: { displayName: string; emails: string[] }[] }>(megan, 'contacts_people', { max: 5 });
    expect(people).toHaveLength(5);
    const alex = await callOk<{ people: { displayName: string; emails: string[] }[] }>(megan, 'contacts_people', { query: 'alex' });
    expect(alex.people[0]).toMatchObject({ displayName: 'Alex Wilber', emails: ['alex.wilber@contoso.example'] });
    expect((await callError(megan, 'contacts_people', { query: 'a"b' })).code).toBe('contacts.invalidQuery');
  });

  it('lists To Do lists and open tasks, creates a task and completes it', async () => {
    const { lists } = await callOk<{ lists: { id: string; name: string; isDefault: boolean }[] }>(megan, 'tasks_list_lists');
    const tasksList = lists.find((l) => l.isDefault)!;
    expect(tasksList.name).toBe('Tasks');
    const open: Task[] = [];
    let cursor: string | undefined;
    do {
      const page = await callOk<{ tasks: Task[]; nextCursor?: string }>(megan, 'tasks_list', { listId: tasksList.id, pageSize: 20, ...(cursor ? { cursor } : {}) });
      open.push(...page.tasks);
      cursor = page.nextCursor;
    } while (cursor);
    expect(open.length).toBeGreaterThan(20);
    expect(open.every((t) => t.status !== 'completed')).toBe(true);
    const everything = await callOk<{ tasks: Task[] }>(megan, 'tasks_list', { listId: tasksList.id, includeCompleted: true, pageSize: 100 });
    expect(everything.tasks.filter((t) => t.status === 'completed').length).toBe(everything.tasks.length - open.length);

    const task = await callOk<Task>(megan, 'tasks_create', { listId: tasksList.id, title: `Call Zoe ${stamp}`, dueDate: '2026-03-31', importance: 'high' });
    expect(task).toMatchObject({ title: `Call Zoe ${stamp}`, status: 'notStarted', importance: 'high', dueDate: '2026-03-31' });
    const done = await callOk<Task>(megan, 'tasks_complete', { listId: tasksList.id, taskId: task.id });
    expect(done.status).toBe('completed');
    expect(done.completedAt).toBeDefined();
    expect((await callOk<Task>(megan, 'tasks_complete', { listId: tasksList.id, taskId: task.id })).completedAt).toBe(done.completedAt);
    expect((await callError(megan, 'tasks_create', { listId: tasksList.id, title: 'x', dueDate: '2026-02-30' })).category).toBe('invalid_input');
    expect((await callError(megan, 'tasks_list', { listId: 'no-such-list' })).category).toBe('not_found');
    expect((await callError(megan, 'tasks_complete', { listId: tasksList.id, taskId: 'no-such-task' })).category).toBe('not_found');
  });
});
