import { describe, expect, it } from 'vitest';

import { InMemoryFilesGateway } from '../../../src/adapters/memory/in-memory-files-gateway.js';
import { DownloadFile } from '../../../src/domain/use-cases/download-file.js';
import { ListDriveItems } from '../../../src/domain/use-cases/list-drive-items.js';
import { UploadFile } from '../../../src/domain/use-cases/upload-file.js';
import { domainErrorOf, makeIdentity } from '../fixtures.js';

const me = makeIdentity();
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function drive(): InMemoryFilesGateway {
  const files = new InMemoryFilesGateway(() => Date.UTC(2024, 4, 1));
  files.addFolder(me, '/Documents/Reports');
  files.addFile(me, '/Documents', 'notes.txt', bytes('héllo'), 'text/plain');
  files.addFile(me, '/Documents', 'latin1.csv', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'text/csv');
  files.addFile(me, '/Documents', 'photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png');
  files.addFile(me, '/', 'big.bin', new Uint8Array(100));
  return files;
}

describe('ListDriveItems', () => {
  it('lists the root by default and folders by normalized path, with paging', async () => {
    const files = drive();
    const list = new ListDriveItems(files, { defaultPageSize: 2 });
    expect((await list.execute(me, {})).items.map((i) => i.name)).toEqual(['big.bin', 'Documents']);
    const first = await list.execute(me, { folder: { path: 'Documents//./' } });
    expect(first.items.map((i) => i.name)).toEqual(['latin1.csv', 'notes.txt']);
    const second = await list.execute(me, { cursor: first.nextCursor as string });
    expect(second.items.map((i) => i.name)).toEqual(['photo.png', 'Reports']);
  });

  it.each([
    ['/Documents/../../etc', 'files.invalidPath'],
    ['..', 'files.invalidPath'],
    ['\\Documents\\Reports', 'files.invalidPath'],
    ['/Docu\u0000ments', 'files.invalidPath'],
    ['/a:b', 'files.invalidPath'],
    [`/${'a/'.repeat(250)}`, 'files.invalidPath'],
  ])('rejects path %j', async (path, code) => {
    const err = await domainErrorOf(() => new ListDriveItems(drive()).execute(me, { folder: { path } }));
    expect(err).toMatchObject({ category: 'invalid_input', code });
  });

  it('reports an unknown folder as not_found', async () => {
    expect((await domainErrorOf(() => new ListDriveItems(drive()).execute(me, { folder: { path: '/Nope' } }))).category).toBe('not_found');
  });
});

describe('DownloadFile', () => {
  async function download(name: string, limits = {}): Promise<Awaited<ReturnType<DownloadFile['execute']>>> {
    const files = drive();
    const id = (await files.listChildren(me, { path: '/Documents' }, 100)).items.find((i) => i.name === name)?.id as string;
    return new DownloadFile(files, limits).execute(me, { itemId: id });
  }

  it('returns UTF-8 text files as text', async () => {
    expect(await download('notes.txt')).toMatchObject({ encoding: 'text', content: 'héllo' });
  });

  it('returns text-typed files that are not valid UTF-8 as base64, losslessly', async () => {
    const result = await download('latin1.csv');
    expect(result.encoding).toBe('base64');
    expect([...Buffer.from(result.content, 'base64')]).toEqual([0x63, 0x61, 0x66, 0xe9]);
  });

  it('returns binary files as base64', async () => {
    expect(await download('photo.png')).toMatchObject({ encoding: 'base64', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64') });
  });

  it('refuses a file over the inline cap before downloading, naming the cap', async () => {
    const files = drive();
    const big = (await files.listChildren(me, { path: '/' }, 100)).items.find((i) => i.name === 'big.bin');
    const err = await domainErrorOf(() => new DownloadFile(files, { maxInlineBytes: 50 }).execute(me, { itemId: big?.id as string }));
    expect(err.category).toBe('payload_too_large');
    expect(err.message).toContain('50 bytes');
  });

  it('refuses folders and hostile ids', async () => {
    const files = drive();
    const folder = files.addFolder(me, '/Documents');
    expect((await domainErrorOf(() => new DownloadFile(files).execute(me, { itemId: folder.id }))).code).toBe('files.isFolder');
    expect((await domainErrorOf(() => new DownloadFile(files).execute(me, { itemId: '../../me' }))).category).toBe('not_found');
    expect((await domainErrorOf(() => new DownloadFile(files).execute(me, { itemId: '..' }))).code).toBe('files.invalidItemId');
  });
});

describe('UploadFile', () => {
  it('uploads into a folder and honours the conflict behaviour', async () => {
    const files = drive();
    const upload = new UploadFile(files);
    const created = await upload.execute(me, { folder: { path: '/Documents/Reports' }, name: 'q1.txt', content: bytes('v1'), conflict: 'fail' });
    expect(created).toMatchObject({ name: 'q1.txt', size: 2, parentPath: '/Documents/Reports' });
    const renamed = await upload.execute(me, { folder: { path: '/Documents/Reports' }, name: 'Q1.txt', content: bytes('v2'), conflict: 'rename' });
    expect(renamed.name).toBe('Q1 1.txt');
    const replaced = await upload.execute(me, { folder: { itemId: files.addFolder(me, '/Documents/Reports').id }, name: 'q1.txt', content: bytes('v3!'), conflict: 'replace' });
    expect(replaced).toMatchObject({ id: created.id, size: 3 });
    const err = await domainErrorOf(() => upload.execute(me, { folder: { path: '/Documents/Reports' }, name: 'q1.txt', content: bytes('x'), conflict: 'fail' }));
    expect(err.category).toBe('conflict');
  });

  it.each([
    'a"b.txt', 'a*b', 'a:b', 'a<b', 'a>b', 'a?b', 'a/b', 'a\\b', 'a|b', 'tab\there', 'nul\u0000',
    ' lead', 'trail ', 'dot.', 'CON', 'con.txt', 'PRN', 'AUX', 'NUL', 'COM1', 'LPT9', '.lock', 'Desktop.ini',
    '~$report.docx', 'x_vti_y', '', '.', '..', 'a'.repeat(256), 'invoice\u202Efdp.exe',
  ])('rejects the file name %j', async (name) => {
    const err = await domainErrorOf(() => new UploadFile(drive()).execute(me, { name, content: bytes('x'), conflict: 'fail' }));
    expect(err).toMatchObject({ category: 'invalid_input', code: 'files.invalidName' });
  });

  it('accepts ordinary names with Unicode and inner dots', async () => {
    const item = await new UploadFile(drive()).execute(me, { name: 'Résumé v2.final.pdf', content: bytes('x'), conflict: 'fail' });
    expect(item.name).toBe('Résumé v2.final.pdf');
  });

  it('rejects path traversal in the target folder', async () => {
    const err = await domainErrorOf(() => new UploadFile(drive()).execute(me, { folder: { path: '/Documents/../..' }, name: 'x.txt', content: bytes('x'), conflict: 'fail' }));
    expect(err.code).toBe('files.invalidPath');
  });

  it('rejects oversize content naming the cap and the upload-session tools', async () => {
    const err = await domainErrorOf(() => new UploadFile(drive(), { maxSimpleUploadBytes: 4 }).execute(me, { name: 'x.bin', content: new Uint8Array(5), conflict: 'fail' }));
    expect(err.category).toBe('payload_too_large');
    expect(err.message).toContain('4 bytes');
    expect(err.message).toContain('files_upload_start');
  });

  it('rejects an unknown conflict behaviour', async () => {
    const err = await domainErrorOf(() => new UploadFile(drive()).execute(me, { name: 'x', content: bytes('x'), conflict: 'overwrite' as never }));
    expect(err.code).toBe('files.invalidConflictBehavior');
  });
});
