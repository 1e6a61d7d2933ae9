import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_COUNTS, seededUser } from '../../../src/adapters/sandbox/seed.js';
import { makeSandbox, readAllPages } from './sandbox-fixture.js';
import type { SandboxFixture } from './sandbox-fixture.js';

interface Msg {
  id: string;
  subject: string;
  isRead: boolean;
  hasAttachments: boolean;
  receivedDateTime: string;
  from: { emailAddress: { address: string } };
  body?: { contentType: string; content: string };
  parentFolderId: string;
}

const megan = seededUser('megan');
const alex = seededUser('alex');
const diego = seededUser('diego');
let fx: SandboxFixture;

beforeAll(async () => {
  fx = await makeSandbox();
});
afterAll(async () => {
  await fx.sandbox.close();
});

describe('sandbox mail', () => {
  it('pages through the whole mailbox, newest first, every message exactly once', async () => {
    const { items, pages } = await readAllPages<Msg>(
      fx,
      megan,
      '/v1.0/me/messages?$top=37&$select=subject,receivedDateTime',
    );
    const total = SEED_COUNTS.inbox + SEED_COUNTS.sentitems + SEED_COUNTS.archive;
    expect(items).toHaveLength(total);
    expect(new Set(items.map((m) => m.id)).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 37));
    const times = items.map((m) => Date.parse(m.receivedDateTime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(['id', 'receivedDateTime', 'subject']);
  });

  it('defaults to 10 per page and lists a well-known folder', async () => {
    const page = await fx.json<{ value: Msg[]; '@odata.nextLink'?: string }>(
      megan,
      '/v1.0/me/mailFolders/Inbox/messages',
    );
    expect(page.value).toHaveLength(10);
    expect(page['@odata.nextLink']).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/v1\.0\/me\/mailFolders\/Inbox\/messages\?.*%24skiptoken=/,
    );
    const { items } = await readAllPages<Msg>(fx, megan, '/v1.0/me/mailFolders/archive/messages?$top=1000');
    expect(items).toHaveLength(SEED_COUNTS.archive);
    expect(new Set(items.map((m) => m.parentFolderId)).size).toBe(1);
  });

  it('filters by isRead, hasAttachments, receivedDateTime and sender, joined with and', async () => {
    const all = (await readAllPages<Msg>(fx, megan, '/v1.0/me/messages?$top=1000')).items;
    const unread = (await readAllPages<Msg>(fx, megan, '/v1.0/me/messages?$filter=isRead eq false&$top=50'))
      .items;
    expect(unread.length).toBe(all.filter((m) => !m.isRead).length);
    expect(unread.length).toBeGreaterThan(0);

    const cutoff = all[100]?.receivedDateTime ?? '';
    const recentWithFiles = (
      await readAllPages<Msg>(
        fx,
        megan,
        `/v1.0/me/messages?$filter=hasAttachments eq true and receivedDateTime ge ${cutoff}`,
      )
    ).items;
    expect(recentWithFiles.map((m) => m.id)).toEqual(
      all.filter((m) => m.hasAttachments && m.receivedDateTime >= cutoff).map((m) => m.id),
    );

    const sender =
      all.find((m) => m.from.emailAddress.address !== megan.mail)?.from.emailAddress.address ?? '';
    const fromSender = (
      await readAllPages<Msg>(
        fx,
        megan,
        `/v1.0/me/messages?$filter=from/emailAddress/address eq '${sender.toUpperCase()}'`,
      )
    ).items;
    expect(fromSender.length).toBe(all.filter((m) => m.from.emailAddress.address === sender).length);
  });

  it('also pages with $skip', async () => {
    const ten = (await fx.json<{ value: Msg[] }>(megan, '/v1.0/me/messages?$top=10&$filter=isRead eq true'))
      .value;
    const skipped = await fx.json<{ value: Msg[]; '@odata.nextLink'?: string }>(
      megan,
      '/v1.0/me/messages?$top=5&$skip=5&$filter=isRead eq true',
    );
    expect(skipped.value.map((m) => m.id)).toEqual(ten.slice(5).map((m) => m.id));
    expect(skipped['@odata.nextLink']).toContain('%24skiptoken=');
  });

  it('rejects unsupported filters, $top out of range and unknown folders like Graph', async () => {
    const bad = await fx.call(megan, "/v1.0/me/messages?$filter=contains(subject,'x')");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('ErrorInvalidUrlQueryFilter');
    expect((await fx.call(megan, '/v1.0/me/messages?$top=1001')).status).toBe(400);
    const missing = await fx.call(megan, '/v1.0/me/mailFolders/nope/messages');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('ErrorItemNotFound');
  });

  it('gets one message, as HTML by default and as text when preferred', async () => {
    const [first] = (await fx.json<{ value: Msg[] }>(megan, '/v1.0/me/messages?$top=1')).value;
    const html = await fx.json<Msg>(megan, `/v1.0/me/messages/${first?.id ?? ''}`);
    expect(html.body?.contentType).toBe('html');
    expect(html.body?.content).toContain('<p>');
    const res = await fx.call(megan, `/v1.0/me/messages/${first?.id ?? ''}?$select=body,subject`, {
      headers: { prefer: 'outlook.body-content-type="text"' },
    });
    const text = (await res.json()) as Msg;
    expect(text.body?.contentType).toBe('text');
    expect(text.body?.content).not.toContain('<');
    expect(text.subject).toBe(first?.subject);
    const gone = await fx.call(megan, '/v1.0/me/messages/AAMkADdoesnotexist');
    expect(gone.status).toBe(404);
  });

  it('sendMail returns 202 and delivers to recipients (case-insensitive) and to sentitems', async () => {
    const subject = `Sandbox delivery ${Date.now()}`;
    const res = await fx.call(megan, '/v1.0/me/sendMail', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: {
          subject,
          body: { contentType: 'Text', content: 'Hello <team>\nline two' },
          toRecipients: [{ emailAddress: { address: alex.mail.toUpperCase() } }],
          bccRecipients: [{ emailAddress: { address: diego.mail } }],
        },
      }),
    });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const inbox = (await fx.json<{ value: Msg[] }>(alex, '/v1.0/me/mailFolders/inbox/messages?$top=1'))
      .value[0];
    expect(inbox?.subject).toBe(subject);
    expect(inbox?.isRead).toBe(false);
    expect(inbox?.from.emailAddress.address).toBe(megan.mail);
    expect(inbox?.body?.content).toContain('Hello &lt;team&gt;<br>line two');
    const other = (await fx.json<{ value: Msg[] }>(diego, '/v1.0/me/mailFolders/inbox/messages?$top=1'))
      .value[0];
    expect(other?.subject).toBe(subject);
    const sent = (await fx.json<{ value: Msg[] }>(megan, '/v1.0/me/mailFolders/sentitems/messages?$top=1'))
      .value[0];
    expect(sent?.subject).toBe(subject);
  });

  it('sendMail with saveToSentItems false keeps no copy', async () => {
    const subject = `No copy ${Date.now()}`;
    const res = await fx.call(alex, '/v1.0/me/sendMail', {
      method: 'POST',
      body: JSON.stringify({
        message: {
          subject,
          body: { contentType: 'HTML', content: '<b>hi</b>' },
          toRecipients: [{ emailAddress: { address: 'someone@outside.example' } }],
        },
        saveToSentItems: false,
      }),
    });
    expect(res.status).toBe(202);
    const sent = (await fx.json<{ value: Msg[] }>(alex, '/v1.0/me/mailFolders/sentitems/messages?$top=5'))
      .value;
    expect(sent.map((m) => m.subject)).not.toContain(subject);
  });

  it('sendMail validates recipients and payload like Graph', async () => {
    const send = (body: unknown): Promise<Response> =>
      fx.call(megan, '/v1.0/me/sendMail', { method: 'POST', body: JSON.stringify(body) });
    const none = await send({ message: { subject: 'x', body: { contentType: 'Text', content: 'x' } } });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('ErrorInvalidRecipients');
    const invalid = await send({
      message: { toRecipients: [{ emailAddress: { address: 'not-an-address' } }] },
    });
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('ErrorInvalidRecipients');
    expect((await send({ nothing: true })).status).toBe(400);
    const notJson = await fx.call(megan, '/v1.0/me/sendMail', { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });
});
