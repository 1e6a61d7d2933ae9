import { afterEach, describe, expect, it } from 'vitest';

import { GraphHttpClient } from '../../../src/adapters/graph/graph-http-client.js';
import { HttpCalendarGateway } from '../../../src/adapters/graph/http-calendar-gateway.js';
import { HttpFilesGateway } from '../../../src/adapters/graph/http-files-gateway.js';
import { HttpMailGateway } from '../../../src/adapters/graph/http-mail-gateway.js';
import { HttpProfileGateway } from '../../../src/adapters/graph/http-profile-gateway.js';
import { HttpSearchGateway } from '../../../src/adapters/graph/http-search-gateway.js';
import { HttpTeamsGateway } from '../../../src/adapters/graph/http-teams-gateway.js';
import { domainErrorOf, makeIdentity } from '../../domain/fixtures.js';
import { json, startTestServer } from './graph-test-server.js';
import type { Handler, RecordedRequest, TestServer } from './graph-test-server.js';

const me = makeIdentity();
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function graph(handler: Handler): Promise<{ server: TestServer; client: GraphHttpClient }> {
  const server = await startTestServer(handler);
  servers.push(server);
  const client = new GraphHttpClient({ baseUrl: `${server.origin}/v1.0`, tokenProvider: { getAccessToken: async () => 't' }, timeoutMs: 2000 });
  return { server, client };
}

const cursorOf = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const order = (body: string): number => ['message', 'event', 'driveItem'].findIndex((e) => body.includes(`"${e}"`));
const query = (req: RecordedRequest | undefined): URLSearchParams => new URL(`http://x${req?.url ?? ''}`).searchParams;

describe('HttpMailGateway', () => {
  it('lists with $select, $orderby and a filter that starts with receivedDateTime, then pages by cursor', async () => {
    const { server, client } = await graph((req, res) => {
      const next = req.url?.includes('skiptoken') ? {} : { '@odata.nextLink': `${server.origin}/v1.0/me/mailFolders/inbox/messages?%24skiptoken=abc%3D%3D` };
      json(res, 200, {
        value: [{ id: 'm1', subject: 'Hi', from: { emailAddress: { name: 'Ada', address: 'ada@contoso.com' } }, receivedDateTime: '2024-05-01T10:00:00Z', isRead: false, importance: 'high', bodyPreview: 'Hello\r\n  there' }],
        ...next,
      });
    });
    const mail = new HttpMailGateway(client);
    const first = await mail.listMessages(me, { folder: 'inbox', unreadOnly: true, from: "o'brien@contoso.com" }, 10);
    const q = query(server.requests[0]);
    expect(server.requests[0]?.url.startsWith('/v1.0/me/mailFolders/inbox/messages?')).toBe(true);
    expect(q.get('$top')).toBe('10');
    expect(q.get('$orderby')).toBe('receivedDateTime desc');
    expect(q.get('$select')).toContain('bodyPreview');
    expect(q.get('$filter')).toBe("receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false and from/emailAddress/address eq 'o''brien@contoso.com'");
    expect(first.items[0]).toMatchObject({ id: 'm1', importance: 'high', preview: 'Hello\nthere', receivedAt: '2024-05-01T10:00:00.000Z', from: { name: 'Ada', address: 'ada@contoso.com' } });
    const second = await mail.listMessages(me, {}, 10, first.nextCursor);
    expect(server.requests[1]?.url).toBe('/v1.0/me/mailFolders/inbox/messages?%24skiptoken=abc%3D%3D');
    expect(second.nextCursor).toBeUndefined();
  });

  it.each([
    ['a full URL', cursorOf({ v: 1, p: 'https://evil.example/steal' })],
    ['a protocol-relative path', cursorOf({ v: 1, p: '//evil.example/steal' })],
    ['dot segments', cursorOf({ v: 1, p: '/me/messages/../../../admin' })],
    ['encoded dot segments', cursorOf({ v: 1, p: '/%2e%2e/%2e%2e/admin/me/messages' })],
    ['another resource', cursorOf({ v: 1, p: '/me/drive/root/children' })],
    ['userinfo tricks', cursorOf({ v: 1, p: '@evil.example/me/messages' })],
    ['a backslash', cursorOf({ v: 1, p: '/\\evil.example/me/messages' })],
    ['a wrong version', cursorOf({ v: 2, p: '/me/messages' })],
    ['garbage', 'not-json-at-all'],
    ['a raw URL', 'https://evil.example/'],
  ])('rejects a cursor with %s and makes no call', async (_label, cursor) => {
    const { server, client } = await graph((_req, res) => json(res, 200, { value: [] }));
    const err = await domainErrorOf(() => new HttpMailGateway(client).listMessages(me, {}, 10, cursor));
    expect(err).toMatchObject({ category: 'invalid_input', code: 'paging.invalidCursor' });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses to turn a nextLink on another host into a cursor', async () => {
    const { client } = await graph((_req, res) => json(res, 200, { value: [], '@odata.nextLink': 'https://evil.example/v1.0/me/messages?x=1' }));
    expect((await domainErrorOf(() => new HttpMailGateway(client).listMessages(me, {}, 10))).code).toBe('graph.badNextLink');
  });

  it('gets a message asking for a text body, converting HTML if Graph sends it anyway', async () => {
    const { server, client } = await graph((_req, res) =>
      json(res, 200, { id: 'a/b+c=', subject: 'S', body: { contentType: 'html', content: '<p>Hi&nbsp;<b>you</b></p><script>x()</script>' }, toRecipients: [{ emailAddress: { address: 'me@contoso.com' } }, { emailAddress: {} }] }),
    );
    const msg = await new HttpMailGateway(client).getMessage(me, 'a/b+c=');
    expect(server.requests[0]?.url.startsWith('/v1.0/me/messages/a%2Fb%2Bc%3D?')).toBe(true);
    expect(server.requests[0]?.headers.prefer).toBe('outlook.body-content-type="text"');
    expect(msg).toMatchObject({ id: 'a/b+c=', body: 'Hi you', bodyTruncated: false, to: [{ address: 'me@contoso.com' }], cc: [] });
  });

  it('sends mail as Graph expects and accepts 202 with no body', async () => {
    const { server, client } = await graph((_req, res) => {
      res.writeHead(202);
      res.end();
    });
    await new HttpMailGateway(client).sendMail(me, {
      subject: 'S',
      body: '<b>B</b>',
      bodyType: 'html',
      to: [{ address: 'bob@contoso.com', name: 'Bob' }],
      cc: [],
      bcc: [{ address: 'eve@contoso.com' }],
      saveToSentItems: false,
    });
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/v1.0/me/sendMail' });
    expect(JSON.parse(server.requests[0]?.body.toString() ?? '')).toEqual({
      message: {
        subject: 'S',
        body: { contentType: 'HTML', content: '<b>B</b>' },
        toRecipients: [{ emailAddress: { address: 'bob@contoso.com', name: 'Bob' } }],
        ccRecipients: [],
        bccRecipients: [{ emailAddress: { address: 'eve@contoso.com' } }],
      },
      saveToSentItems: false,
    });
  });
});

describe('HttpCalendarGateway', () => {
  it('reads the calendar view in the requested zone on every page', async () => {
    const { server, client } = await graph((req, res) =>
      json(res, 200, {
        value: [
          {
            id: 'e1',
            subject: 'Standup',
            start: { dateTime: '2024-07-01T09:00:00.0000000', timeZone: 'Europe/Paris' },
            end: { dateTime: '2024-07-01T09:15:00.0000000', timeZone: 'Europe/Paris' },
            location: { displayName: 'Room 1' },
            organizer: { emailAddress: { name: 'Ada', address: 'ada@contoso.com' } },
            attendees: [{ type: 'optional', status: { response: 'accepted' }, emailAddress: { address: 'bob@contoso.com' } }],
            onlineMeeting: { joinUrl: 'https://teams.example/join' },
            showAs: 'busy',
          },
        ],
        ...(req.url?.includes('skip') ? {} : { '@odata.nextLink': `${server.origin}/v1.0/me/calendarView?startDateTime=a&%24skip=1` }),
      }),
    );
    const calendar = new HttpCalendarGateway(client);
    const window = { start: '2024-07-01T00:00:00.000Z', end: '2024-07-02T00:00:00.000Z', timeZone: 'Europe/Paris' };
    const page = await calendar.listEvents(me, window, 5);
    const q = query(server.requests[0]);
    expect(q.get('startDateTime')).toBe(window.start);
    expect(q.get('endDateTime')).toBe(window.end);
    expect(q.get('$orderby')).toBe('start/dateTime');
    expect(server.requests[0]?.headers.prefer).toBe('outlook.timezone="Europe/Paris"');
    expect(page.items[0]).toMatchObject({
      start: '2024-07-01T09:00:00+02:00',
      end: '2024-07-01T09:15:00+02:00',
      timeZone: 'Europe/Paris',
      location: 'Room 1',
      onlineMeetingUrl: 'https://teams.example/join',
      attendees: [{ address: 'bob@contoso.com', type: 'optional', response: 'accepted' }],
    });
    await calendar.listEvents(me, window, 5, page.nextCursor);
    expect(server.requests[1]?.url).toBe('/v1.0/me/calendarView?startDateTime=a&%24skip=1');
    expect(server.requests[1]?.headers.prefer).toBe('outlook.timezone="Europe/Paris"');
    const err = await domainErrorOf(() => calendar.listEvents(me, window, 5, cursorOf({ v: 1, p: '/me/messages' })));
    expect(err.code).toBe('paging.invalidCursor');
  });
});

describe('HttpFilesGateway', () => {
  const item = { id: 'i1', name: 'Q1 #1.txt', size: 3, file: { mimeType: 'text/plain' }, lastModifiedDateTime: '2024-05-01T10:00:00Z', parentReference: { driveId: 'd1', path: '/drive/root:/Docs/Q1%20Reports' } };

  it('addresses folders by root, path (encoded per segment) and id', async () => {
    const { server, client } = await graph((_req, res) => json(res, 200, { value: [item, { id: 'f1', name: 'Sub', folder: { childCount: 2 }, parentReference: { path: '/drive/root:' } }] }));
    const files = new HttpFilesGateway(client);
    const page = await files.listChildren(me, { path: '/' }, 20);
    await files.listChildren(me, { path: '/Docs/Q1 #1?' }, 20);
    await files.listChildren(me, { itemId: 'A!1' }, 20);
    expect(server.requests.map((r) => r.url.split('?')[0])).toEqual([
      '/v1.0/me/drive/root/children',
      '/v1.0/me/drive/root:/Docs/Q1%20%231%3F:/children',
      '/v1.0/me/drive/items/A!1/children',
    ]);
    expect(page.items).toEqual([
      { id: 'i1', name: 'Q1 #1.txt', kind: 'file', size: 3, mimeType: 'text/plain', modifiedAt: '2024-05-01T10:00:00.000Z', parentPath: '/Docs/Q1 Reports', driveId: 'd1' },
      { id: 'f1', name: 'Sub', kind: 'folder', size: 0, childCount: 2, modifiedAt: '', parentPath: '/' },
    ]);
  });

  it('accepts children cursors for its own folders only', async () => {
    const { server, client } = await graph((_req, res) => json(res, 200, { value: [] }));
    const files = new HttpFilesGateway(client);
    await files.listChildren(me, { path: '/' }, 20, cursorOf({ v: 1, p: '/me/drive/root:/Docs:/children?$skiptoken=x' }));
    expect(server.requests[0]?.url).toBe('/v1.0/me/drive/root:/Docs:/children?$skiptoken=x');
    for (const p of ['/me/drive/items/x/content', '/me/messages', '/me/drive/items/a/b/children']) {
      expect((await domainErrorOf(() => files.listChildren(me, { path: '/' }, 20, cursorOf({ v: 1, p })))).code).toBe('paging.invalidCursor');
    }
    expect(server.requests).toHaveLength(1);
  });

  it('uploads with the conflict behaviour to root, path and parent id', async () => {
    const { server, client } = await graph((_req, res) => json(res, 201, item));
    const files = new HttpFilesGateway(client);
    const content = new Uint8Array([104, 105]);
    const created = await files.uploadSmall(me, { path: '/' }, 'a b.txt', content, 'rename');
    await files.uploadSmall(me, { path: '/Docs/Q1' }, 'x.txt', content, 'fail');
    await files.uploadSmall(me, { itemId: 'P1' }, 'x.txt', content, 'replace');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /v1.0/me/drive/root:/a%20b.txt:/content?@microsoft.graph.conflictBehavior=rename',
      'PUT /v1.0/me/drive/root:/Docs/Q1/x.txt:/content?@microsoft.graph.conflictBehavior=fail',
      'PUT /v1.0/me/drive/items/P1:/x.txt:/content?@microsoft.graph.conflictBehavior=replace',
    ]);
    expect(server.requests[0]?.headers['content-type']).toBe('application/octet-stream');
    expect([...(server.requests[0]?.body ?? [])]).toEqual([104, 105]);
    expect(created.id).toBe('i1');
  });

  it('maps a name conflict to conflict', async () => {
    const { client } = await graph((_req, res) => json(res, 409, { error: { code: 'nameAlreadyExists', message: 'x.txt exists' } }));
    const err = await domainErrorOf(() => new HttpFilesGateway(client).uploadSmall(me, { path: '/' }, 'x.txt', new Uint8Array(1), 'fail'));
    expect(err).toMatchObject({ category: 'conflict', code: 'graph.nameAlreadyExists' });
  });
});

describe('HttpSearchGateway', () => {
  it('sends one request per entity type, strips highlights and pages by from/size', async () => {
    const { server, client } = await graph((req, res) => {
      const body = JSON.parse(req.body.toString()) as { requests: Array<{ entityTypes: string[]; from: number; size: number }> };
      const r = body.requests[0];
      const entity = r?.entityTypes[0];
      const resource =
        entity === 'message'
          ? { id: `m${r?.from}`, subject: 'Budget', from: { emailAddress: { name: 'Ada', address: 'ada@contoso.com' } }, receivedDateTime: '2024-05-01T10:00:00Z' }
          : entity === 'event'
            ? { id: 'e1', subject: 'Budget sync', start: { dateTime: '2024-05-02T09:00:00.0000000', timeZone: 'UTC' } }
            : { id: 'f1', name: 'budget.xlsx', size: 10, webUrl: 'https://contoso.sharepoint.com/f1' };
      json(res, 200, { value: [{ hitsContainers: [{ hits: [{ hitId: 'h', rank: 1, summary: 'the <c0>budget</c0><ddd/>', resource }], moreResultsAvailable: entity === 'message' && (r?.from ?? 0) < 1, total: 3 }] }] });
    });
    const search = new HttpSearchGateway(client);
    const q = { query: 'budget', entities: ['message', 'event', 'driveItem'] as const };
    const first = await search.search(me, { ...q, entities: [...q.entities] }, 6);
    // The three requests run concurrently: compare them in a fixed order.
    const bodies = server.requests.map((r) => r.body.toString()).sort((a, b) => order(a) - order(b));
    expect(bodies.map((b) => (JSON.parse(b) as { requests: unknown[] }).requests)).toEqual([
      [{ entityTypes: ['message'], query: { queryString: 'budget' }, from: 0, size: 2 }],
      [{ entityTypes: ['event'], query: { queryString: 'budget' }, from: 0, size: 2 }],
      [{ entityTypes: ['driveItem'], query: { queryString: 'budget' }, from: 0, size: 2 }],
    ]);
    expect(first.items).toEqual([
      { entity: 'message', id: 'm0', title: 'Budget', summary: 'the budget…', rank: 1, from: 'Ada <ada@contoso.com>', date: '2024-05-01T10:00:00.000Z' },
      { entity: 'event', id: 'e1', title: 'Budget sync', summary: 'the budget…', rank: 1, date: '2024-05-02T09:00:00.000Z' },
      { entity: 'driveItem', id: 'f1', title: 'budget.xlsx', summary: 'the budget…', rank: 1, size: 10, webUrl: 'https://contoso.sharepoint.com/f1' },
    ]);
    // Only mail had more: the next page asks mail alone, from where it stopped, with the whole page size.
    const second = await search.search(me, { ...q, entities: [...q.entities] }, 6, first.nextCursor);
    expect(JSON.parse(server.requests[3]?.body.toString() ?? '')).toEqual({ requests: [{ entityTypes: ['message'], query: { queryString: 'budget' }, from: 1, size: 6 }] });
    expect(server.requests).toHaveLength(4);
    expect(second.items.map((h) => h.id)).toEqual(['m1']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('searches files and list items in one request and tells them apart by @odata.type', async () => {
    const { server, client } = await graph((_req, res) =>
      json(res, 200, {
        value: [
          {
            hitsContainers: [
              {
                moreResultsAvailable: true,
                hits: [
                  { hitId: 'f1', rank: 1, summary: '<c0>Budget</c0>', resource: { '@odata.type': '#microsoft.graph.driveItem', id: 'f1', name: 'budget.xlsx', size: 10, lastModifiedDateTime: '2024-05-01T10:00:00Z' } },
                  { hitId: 'l7', rank: 2, summary: '', resource: { '@odata.type': '#microsoft.graph.listItem', name: 'Budget sheet locked', size: 0, webUrl: 'https://contoso.sharepoint.com/sites/t/Lists/Issues/DispForm.aspx?ID=7', lastModifiedDateTime: '2024-05-02T10:00:00Z' } },
                ],
              },
            ],
          },
        ],
      }),
    );
    const search = new HttpSearchGateway(client);
    const q = { query: 'budget', entities: ['message', 'driveItem', 'listItem'] as ('message' | 'driveItem' | 'listItem')[] };
    const page = await search.search(me, q, 7);
    const bodies = server.requests.map((r) => (JSON.parse(r.body.toString()) as { requests: unknown[] }).requests[0]);
    expect(bodies).toEqual(
      expect.arrayContaining([
        { entityTypes: ['message'], query: { queryString: 'budget' }, from: 0, size: 4 },
        { entityTypes: ['driveItem', 'listItem'], query: { queryString: 'budget' }, from: 0, size: 3 },
      ]),
    );
    expect(server.requests).toHaveLength(2);
    // Hits come grouped in request order: the two mail hits, then the SharePoint ones.
    expect(page.items.slice(2)).toEqual([
      { entity: 'driveItem', id: 'f1', title: 'budget.xlsx', summary: 'Budget', rank: 1, size: 10, date: '2024-05-01T10:00:00.000Z' },
      { entity: 'listItem', id: 'l7', title: 'Budget sheet locked', summary: '', rank: 2, date: '2024-05-02T10:00:00.000Z', webUrl: 'https://contoso.sharepoint.com/sites/t/Lists/Issues/DispForm.aspx?ID=7' },
    ]);
    // The next page resumes both groups where they stopped.
    await search.search(me, q, 7, page.nextCursor);
    const resumed = server.requests.slice(2).map((r) => (JSON.parse(r.body.toString()) as { requests: Array<{ entityTypes: string[]; from: number }> }).requests[0]);
    expect(resumed.find((r) => r?.entityTypes.includes('listItem'))?.from).toBe(2);
  });

  it('rejects a cursor from another search or with forged offsets', async () => {
    const { server, client } = await graph((_req, res) => json(res, 200, { value: [] }));
    const search = new HttpSearchGateway(client);
    const q = { query: 'budget', entities: ['message' as const] };
    for (const cursor of [
      cursorOf({ v: 2, q: 'salaries', e: ['message'], o: { message: 5 } }),
      cursorOf({ v: 2, q: 'budget', e: ['message'], o: { sharepoint: 5 } }),
      cursorOf({ v: 2, q: 'budget', e: ['message'], o: { message: -1 } }),
      cursorOf({ v: 2, q: 'budget', e: ['message'], o: { message: 1e9 } }),
      cursorOf({ v: 1, q: 'budget', e: ['message'], o: { message: 5 } }),
      'garbage',
    ]) {
      expect((await domainErrorOf(() => search.search(me, q, 10, cursor))).code).toBe('paging.invalidCursor');
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('HttpTeamsGateway', () => {
  const chatId = '19:2da4c29f6d7041eca70b638b43d45437@thread.v2';

  it('lists chats with members and last message expanded, leaves the user out, and follows a nextLink with raw ids', async () => {
    const { server, client } = await graph((req, res) => {
      const next = req.url.includes('skiptoken') ? {} : { '@odata.nextLink': `${server.origin}/v1.0/me/chats?$skiptoken=${encodeURIComponent('a@b')}` };
      json(res, 200, {
        value: [
          {
            id: chatId,
            topic: null,
            chatType: 'oneOnOne',
            webUrl: 'https://teams.microsoft.com/l/chat/x',
            members: [
              { userId: me.objectId, displayName: 'Me' },
              { userId: 'u2', displayName: 'Ada Lovelace' },
            ],
            lastMessagePreview: { createdDateTime: '2024-05-01T10:00:00Z', isDeleted: false, messageType: 'message', body: { contentType: 'html', content: `<p>${'long '.repeat(100)}</p>` }, from: { user: { displayName: 'Ada Lovelace' } } },
          },
          { id: '19:x@thread.v2', topic: 'Launch', chatType: 'unknownFutureValue', members: [], lastMessagePreview: { createdDateTime: '2024-05-01T09:00:00Z', messageType: 'systemEventMessage', body: { content: '<systemEventMessage/>' } } },
        ],
        ...next,
      });
    });
    const teams = new HttpTeamsGateway(client);
    const first = await teams.listChats(me, 20);
    const q = query(server.requests[0]);
    expect(q.get('$expand')).toBe('members,lastMessagePreview');
    expect(q.get('$orderby')).toBe('lastMessagePreview/createdDateTime desc');
    expect(q.get('$top')).toBe('20');
    expect(first.items[0]).toMatchObject({ id: chatId, type: 'oneOnOne', members: ['Ada Lovelace'], lastMessage: { from: 'Ada Lovelace', at: '2024-05-01T10:00:00.000Z' }, webUrl: 'https://teams.microsoft.com/l/chat/x' });
    expect(first.items[0]?.topic).toBeUndefined();
    expect(first.items[0]?.lastMessage?.text).toHaveLength(200);
    expect(first.items[1]).toEqual({ id: '19:x@thread.v2', type: 'group', topic: 'Launch', members: [] });
    await teams.listChats(me, 20, first.nextCursor);
    expect(server.requests[1]?.url).toBe('/v1.0/me/chats?$skiptoken=a%40b');
  });

  it('reads chat messages in creation order, channel posts and replies; a cursor stays in its conversation', async () => {
    const { server, client } = await graph((req, res) =>
      json(res, 200, {
        value: [
          { id: '3', messageType: 'message', createdDateTime: '2024-05-01T10:00:00Z', from: { user: { displayName: 'Ada' } }, body: { contentType: 'html', content: '<p>Hi <at id="0">Bob</at>&amp; all</p>' }, importance: 'urgent', attachments: [{ contentType: 'reference', name: 'Plan.docx', contentUrl: 'https://x/Plan.docx' }] },
          { id: '2', messageType: 'message', createdDateTime: '2024-05-01T09:00:00Z', deletedDateTime: '2024-05-01T09:05:00Z', body: { content: '' } },
          { id: '1', messageType: 'systemEventMessage', createdDateTime: '2024-05-01T08:00:00Z', body: { content: '<systemEventMessage/>' } },
        ],
        '@odata.nextLink': `${server.origin}/v1.0/chats/${chatId}/messages?$top=3&$skiptoken=t`,
      }),
    );
    const teams = new HttpTeamsGateway(client);
    const page = await teams.listMessages(me, { kind: 'chat', chatId }, 3);
    expect(server.requests[0]?.url).toBe(`/v1.0/chats/${encodeURIComponent(chatId)}/messages?$top=3&$orderby=createdDateTime%20desc`);
    expect(page.items).toEqual([{ id: '3', from: 'Ada', createdAt: '2024-05-01T10:00:00.000Z', body: 'Hi Bob& all', importance: 'urgent', attachments: [{ name: 'Plan.docx', url: 'https://x/Plan.docx' }] }]);
    await teams.listMessages(me, { kind: 'chat', chatId }, 3, page.nextCursor);
    expect(server.requests[1]?.url).toBe(`/v1.0/chats/19:2da4c29f6d7041eca70b638b43d45437%40thread.v2/messages?$top=3&$skiptoken=t`);
    const other = await domainErrorOf(() => teams.listMessages(me, { kind: 'chat', chatId: '19:other@thread.v2' }, 3, page.nextCursor));
    expect(other.code).toBe('paging.invalidCursor');
    expect(server.requests).toHaveLength(2);

    await teams.listMessages(me, { kind: 'channel', teamId: 't1', channelId: '19:c@thread.tacv2', postId: '42' }, 5);
    expect(server.requests[2]?.url).toBe(`/v1.0/teams/t1/channels/${encodeURIComponent('19:c@thread.tacv2')}/messages/42/replies?$top=5`);
  });

  it('posts a message body and lists a team\'s channels with $select', async () => {
    const { server, client } = await graph((req, res) =>
      req.method === 'POST'
        ? json(res, 201, { id: '1700000000000', createdDateTime: '2024-05-01T10:00:00Z', webUrl: 'https://teams/x' })
        : json(res, 200, { value: [{ id: '19:c@thread.tacv2', displayName: 'General', membershipType: 'private', description: null }] }),
    );
    const teams = new HttpTeamsGateway(client);
    const sent = await teams.sendMessage(me, { kind: 'channel', teamId: 't1', channelId: '19:c@thread.tacv2' }, { content: '<b>x</b>', contentType: 'html' });
    expect(sent).toEqual({ id: '1700000000000', createdAt: '2024-05-01T10:00:00.000Z', webUrl: 'https://teams/x' });
    expect(JSON.parse(server.requests[0]?.body.toString() ?? '')).toEqual({ body: { contentType: 'html', content: '<b>x</b>' } });
    expect(await teams.listChannels(me, 't1')).toEqual([{ id: '19:c@thread.tacv2', name: 'General', type: 'private' }]);
    expect(query(server.requests[1]).get('$select')).toBe('id,displayName,description,membershipType');
  });
});

describe('HttpProfileGateway', () => {
  it('reads /me with $select and takes the tenant from the caller', async () => {
    const { server, client } = await graph((_req, res) => json(res, 200, { id: 'u1', displayName: 'Ada', userPrincipalName: 'ada@contoso.com', mail: null, jobTitle: 'CTO' }));
    const profile = await new HttpProfileGateway(client).me(me);
    expect(server.requests[0]?.url).toBe('/v1.0/me?$select=id%2CdisplayName%2Cmail%2CuserPrincipalName%2CjobTitle');
    expect(profile).toEqual({ id: 'u1', displayName: 'Ada', userPrincipalName: 'ada@contoso.com', jobTitle: 'CTO', tenantId: 'tenant-1' });
  });
});
