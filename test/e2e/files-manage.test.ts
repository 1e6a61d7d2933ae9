import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../support/gateway.js';

interface Item {
  id: string;
  name: string;
  kind: 'file' | 'folder';
  size: number;
  parentPath?: string;
  driveId?: string;
  sharedBy?: string;
}

describe('files management through the MCP SDK client against the sandbox', () => {
  let gateway: RunningGateway;
  let megan: Client;
  let alex: Client;
  const stamp = Date.now();

  beforeAll(async () => {
    gateway = await startTestGateway();
    megan = await connectClient(gateway, 'megan');
    alex = await connectClient(gateway, 'alex');
  });
  afterAll(async () => {
    await megan.close();
    await alex.close();
    await gateway.close();
  });

  const driveOf = (name: string) => gateway.sandbox!.tenant.drive(seededUser(name).id);

  it('gets metadata by path and by id, and refuses bad references', async () => {
    const reports = await callOk<Item>(megan, 'files_get', { path: '/Documents/Reports' });
    expect(reports).toMatchObject({ name: 'Reports', kind: 'folder', parentPath: '/Documents' });
    expect(await callOk<Item>(megan, 'files_get', { itemId: reports.id })).toEqual(reports);
    expect((await callError(megan, 'files_get', { path: '/Documents/Nope' })).category).toBe('not_found');
    expect((await callError(megan, 'files_get', {})).code).toBe('files.missingItem');
    expect((await callError(megan, 'files_get', { path: '/a/../b' })).code).toBe('files.invalidPath');
    expect((await callError(megan, 'files_get', { itemId: reports.id, path: '/Documents' })).code).toBe('files.ambiguousItem');
  });

  it('searches by name and pages with the cursor', async () => {
    const expected = [...driveOf('megan').all].filter((n) => n.name.toLowerCase().includes('record-00')).length;
    expect(expected).toBeGreaterThan(20);
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await callOk<{ items: Item[]; nextCursor?: string }>(megan, 'files_search', { query: 'record-00', pageSize: 50, ...(cursor ? { cursor } : {}) });
      for (const i of page.items) seen.add(i.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(expected);
    expect(await callOk(megan, 'files_search', { query: "o'zzq" })).toEqual({ items: [] });
    expect((await callError(megan, 'files_search', { query: '  ' })).code).toBe('files.invalidQuery');
  });

  it('creates, renames, moves, copies and deletes items', async () => {
    const folder = await callOk<Item>(megan, 'files_create_folder', { parent: '/Projects', name: `Launch ${stamp}` });
    expect(folder).toMatchObject({ name: `Launch ${stamp}`, parentPath: '/Projects' });
    expect(driveOf('megan').get(folder.id)?.isFolder).toBe(true);
    expect((await callError(megan, 'files_create_folder', { parent: '/Projects', name: `Launch ${stamp}` })).category).toBe('conflict');
    const second = await callOk<Item>(megan, 'files_create_folder', { parent: '/Projects', name: `Launch ${stamp}`, conflict: 'rename' });
    expect(second.name).toBe(`Launch ${stamp} 1`);
    expect((await callError(megan, 'files_create_folder', { name: 'a:b' })).code).toBe('files.invalidName');
    const keyed = { parent: '/Projects', name: `Keyed ${stamp}`, idempotency_key: `folder-${stamp}` };
    expect((await callOk<Item>(megan, 'files_create_folder', keyed)).id).toBe((await callOk<Item>(megan, 'files_create_folder', keyed)).id);

    const renamed = await callOk<Item>(megan, 'files_move', { itemId: second.id, newName: `Archive ${stamp}` });
    expect(renamed).toMatchObject({ id: second.id, name: `Archive ${stamp}` });
    const moved = await callOk<Item>(megan, 'files_move', { itemId: second.id, destination: folder.id });
    expect(moved).toMatchObject({ id: second.id, parentPath: `/Projects/Launch ${stamp}` });
    expect((await callError(megan, 'files_move', { itemId: folder.id, destination: second.id })).category).toBe('invalid_input');
    expect((await callError(megan, 'files_move', { itemId: second.id })).code).toBe('files.nothingToChange');
    const both = await callOk<Item>(megan, 'files_move', { itemId: second.id, destination: '/Projects', newName: `Back ${stamp}` });
    expect(both).toMatchObject({ id: second.id, name: `Back ${stamp}`, parentPath: '/Projects' });
    await callOk(megan, 'files_move', { itemId: second.id, destination: folder.id, newName: `Archive ${stamp}` });

    const apollo = await callOk<Item>(megan, 'files_get', { path: '/Projects/Apollo' });
    const sourceFile = driveOf('megan').children(apollo.id).find((n) => !n.isFolder)!;
    const fileCopy = await callOk<{ status: string; itemId?: string }>(megan, 'files_copy', { itemId: sourceFile.id, destination: `/Projects/Launch ${stamp}` });
    expect(fileCopy.status).toBe('completed');
    const copied = await callOk<Item>(megan, 'files_get', { itemId: fileCopy.itemId });
    expect(copied).toMatchObject({ name: sourceFile.name, size: sourceFile.size, parentPath: `/Projects/Launch ${stamp}` });
    // A second copy to the same folder gets a free name rather than failing.
    const again = await callOk<{ itemId: string }>(megan, 'files_copy', { itemId: sourceFile.id, destination: folder.id });
    expect((await callOk<Item>(megan, 'files_get', { itemId: again.itemId })).name).not.toBe(sourceFile.name);
    // A folder of 20 files is still copying on the first poll; the tool polls until it completes.
    const monitorPolls = (): number =>
      Object.entries(gateway.sandbox!.stats.snapshot().routes).filter(([k]) => k.includes('/_sandbox/monitor')).reduce((n, [, v]) => n + v.count, 0);
    const pollsBefore = monitorPolls();
    const folderCopy = await callOk<{ status: string; itemId: string }>(megan, 'files_copy', { itemId: apollo.id, destination: folder.id, newName: 'Apollo copy' });
    expect(folderCopy.status).toBe('completed');
    expect(monitorPolls() - pollsBefore).toBe(2);
    expect((await callOk<Item>(megan, 'files_get', { itemId: folderCopy.itemId })).size).toBe((await callOk<Item>(megan, 'files_get', { itemId: apollo.id })).size);
    expect((await callError(megan, 'files_move', { itemId: copied.id, destination: '/Projects/Apollo/Nope' })).category).toBe('not_found');

    expect(await callOk(megan, 'files_delete', { itemId: folder.id })).toEqual({ status: 'deleted' });
    expect(driveOf('megan').get(second.id)).toBeUndefined();
    expect((await callError(megan, 'files_delete', { itemId: folder.id })).category).toBe('not_found');
  });

  it('creates sharing links, the same link on repeat, and lists versions', async () => {
    const file = (await callOk<{ items: Item[] }>(megan, 'files_list', { folder: '/Documents' })).items.find((i) => i.kind === 'file')!;
    const view = await callOk<{ url: string; type: string; scope: string }>(megan, 'files_share', { itemId: file.id, type: 'view', scope: 'organization' });
    expect(view).toMatchObject({ type: 'view', scope: 'organization', url: expect.stringMatching(/^https:\/\//) });
    expect(await callOk(megan, 'files_share', { itemId: file.id, type: 'view', scope: 'organization' })).toEqual(view);
    const edit = await callOk<{ url: string }>(megan, 'files_share', { itemId: file.id, type: 'edit', scope: 'anonymous' });
    expect(edit.url).not.toBe(view.url);
    expect((await callError(megan, 'files_share', { itemId: file.id, type: 'owner', scope: 'anonymous' })).code).toBe('input.invalid');

    const { versions } = await callOk<{ versions: { id: string; modifiedAt: string; size: number }[] }>(megan, 'files_list_versions', { itemId: file.id });
    expect(versions.length).toBeGreaterThanOrEqual(1);
    expect(versions[0]).toMatchObject({ size: file.size });
    expect((await callError(megan, 'files_list_versions', { itemId: (await callOk<Item>(megan, 'files_get', { path: '/Documents' })).id })).category).toBe('invalid_input');
  });

  it('lists items colleagues shared and reads them from their drive, not others', async () => {
    const { items } = await callOk<{ items: Item[] }>(alex, 'files_shared_with_me');
    expect(items.length).toBeGreaterThan(0);
    const fromMegan = items.find((i) => i.sharedBy === seededUser('megan').displayName)!;
    expect(fromMegan.driveId).toBe(driveOf('megan').id);
    expect(await callOk<Item>(alex, 'files_get', { itemId: fromMegan.id, driveId: fromMegan.driveId })).toMatchObject({ id: fromMegan.id, name: fromMegan.name });
    const privateFolder = await callOk<Item>(megan, 'files_get', { path: '/Pictures' });
    expect((await callError(alex, 'files_get', { itemId: privateFolder.id, driveId: fromMegan.driveId })).category).toBe('forbidden');
    expect((await callOk<{ items: Item[] }>(alex, 'files_shared_with_me', { max: 1 })).items).toHaveLength(1);
  });
});
