import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LARGE_FOLDER_NAME, SEED_COUNTS, seededUser } from '../../../src/adapters/sandbox/seed.js';
import { makeSandbox, readAllPages } from './sandbox-fixture.js';
import type { SandboxFixture } from './sandbox-fixture.js';

interface Item {
  id: string;
  name: string;
  size: number;
  file?: { mimeType: string };
  folder?: { childCount: number };
  parentReference: { driveId: string; id?: string; path?: string };
}

const lee = seededUser('lee gu');
let fx: SandboxFixture;

beforeAll(async () => {
  fx = await makeSandbox();
});
afterAll(async () => {
  await fx.sandbox.close();
});

const put = (path: string, body: string | Uint8Array, scopes?: string[]): Promise<Response> =>
  fx.call(lee, path, {
    method: 'PUT',
    body,
    headers: { 'content-type': 'text/plain' },
    ...(scopes ? { scopes } : {}),
  });

describe('sandbox drive', () => {
  it('pages the large folder 200 at a time, every file exactly once, in name order', async () => {
    const { items, pages } = await readAllPages<Item>(
      fx,
      lee,
      `/v1.0/me/drive/root:/${encodeURIComponent(LARGE_FOLDER_NAME)}:/children`,
    );
    expect(items).toHaveLength(SEED_COUNTS.largeFolderFiles);
    expect(pages).toBe(SEED_COUNTS.largeFolderFiles / 200);
    expect(new Set(items.map((i) => i.id)).size).toBe(SEED_COUNTS.largeFolderFiles);
    expect(items[0]?.name).toBe('record-0001.csv');
    expect(items[0]?.parentReference.path).toBe(`/drive/root:/${LARGE_FOLDER_NAME}`);
  });

  it('lists root children and a folder by id, with file and folder facets', async () => {
    const root = await fx.json<{ value: Item[] }>(lee, '/v1.0/me/drive/root/children?$top=1000');
    const documents = root.value.find((i) => i.name === 'Documents');
    expect(documents?.folder?.childCount).toBeGreaterThan(0);
    expect(root.value.some((i) => i.file !== undefined)).toBe(true);
    const byId = await fx.json<{ value: Item[] }>(
      lee,
      `/v1.0/me/drive/items/${documents?.id ?? ''}/children?$top=1000&$select=name,folder`,
    );
    expect(byId.value.map((i) => i.name)).toContain('Reports');
    expect(byId.value.length).toBe(documents?.folder?.childCount);
    const reports = await fx.json<Item>(lee, '/v1.0/me/drive/root:/Documents/Reports');
    expect(reports.parentReference.path).toBe('/drive/root:/Documents');
    const again = await fx.json<Item>(lee, `/v1.0/me/drive/items/${reports.id}?$select=name`);
    expect(again).toEqual({ '@odata.context': expect.any(String), id: reports.id, name: 'Reports' });
    expect((await fx.call(lee, '/v1.0/me/drive/root:/Nope/Missing')).status).toBe(404);
  });

  it('downloads via a 302 to a pre-authenticated URL that honours Range', async () => {
    const files = await fx.json<{ value: Item[] }>(
      lee,
      '/v1.0/me/drive/root:/Documents/Reports:/children?$top=1000',
    );
    const file = files.value.find((i) => i.file && i.size > 100);
    const redirect = await fx.call(lee, `/v1.0/me/drive/items/${file?.id ?? ''}/content`);
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') ?? '';
    expect(location).toMatch(/\/_sandbox\/download\//);
    const whole = await fetch(location);
    expect(whole.status).toBe(200);
    const bytes = new Uint8Array(await whole.arrayBuffer());
    expect(bytes.length).toBe(file?.size);
    const partial = await fetch(location, { headers: { range: 'bytes=10-19' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 10-19/${file?.size ?? 0}`);
    expect(new Uint8Array(await partial.arrayBuffer())).toEqual(bytes.subarray(10, 20));
    expect((await fetch(location, { headers: { range: 'bytes=999999999-' } })).status).toBe(416);
    expect((await fetch(location.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')))).status).toBe(401);
  });

  it('uploads by path (201), replaces (200), fails on conflict (409) and renames', async () => {
    const created = await put('/v1.0/me/drive/root:/Uploads/Nested/notes.txt:/content', 'first version');
    expect(created.status).toBe(201);
    const item = (await created.json()) as Item;
    expect(item.size).toBe('first version'.length);
    expect(item.parentReference.path).toBe('/drive/root:/Uploads/Nested');

    const replaced = await put(
      '/v1.0/me/drive/root:/Uploads/Nested/notes.txt:/content?@microsoft.graph.conflictBehavior=replace',
      'second',
    );
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as Item).id).toBe(item.id);

    const conflict = await put(
      '/v1.0/me/drive/root:/Uploads/Nested/notes.txt:/content?@microsoft.graph.conflictBehavior=fail',
      'third',
    );
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: { code: string } }).error.code).toBe('nameAlreadyExists');

    const renamed = await put(
      `/v1.0/me/drive/items/${item.parentReference.id ?? ''}:/notes.txt:/content?@microsoft.graph.conflictBehavior=rename`,
      'fourth',
    );
    expect(renamed.status).toBe(201);
    expect(((await renamed.json()) as Item).name).toBe('notes 1.txt');

    const redirect = await fx.call(lee, `/v1.0/me/drive/items/${item.id}/content`);
    expect(await (await fetch(redirect.headers.get('location') ?? '')).text()).toBe('second');
  });

  it('rejects names OneDrive forbids and missing write scope', async () => {
    for (const name of ['a%3Fb.txt', 'bad%7Cname.txt', '%20lead.txt', 'CON', 'desktop.ini']) {
      const res = await put(`/v1.0/me/drive/root:/${name}:/content`, 'x');
      expect(res.status, name).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalidRequest');
    }
    const denied = await put('/v1.0/me/drive/root:/ok.txt:/content', 'x', ['Files.Read']);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('accessDenied');
  });

  it('refuses simple uploads over 250 MB with 413 before reading the body', async () => {
    const target = new URL(fx.url('/v1.0/me/drive/root:/huge.bin:/content'));
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        target,
        {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${fx.sandbox.mintToken(lee)}`,
            'content-length': String(251 * 1024 * 1024),
          },
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });
    expect(status).toBe(413);
  });
});
