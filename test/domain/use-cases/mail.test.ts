import { describe, expect, it } from 'vitest';

import { InMemoryMailGateway } from '../../../src/adapters/memory/in-memory-mail-gateway.js';
import { GetMessage } from '../../../src/domain/use-cases/get-message.js';
import { ListMessages } from '../../../src/domain/use-cases/list-messages.js';
import { SendMail } from '../../../src/domain/use-cases/send-mail.js';
import { domainErrorOf, makeIdentity, makeMessage } from '../fixtures.js';

const me = makeIdentity();

function mailbox(count = 0): InMemoryMailGateway {
  const mail = new InMemoryMailGateway();
  for (let i = 0; i < count; i++) {
    mail.add(me, makeMessage({ id: `m${i}`, receivedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), isRead: i % 2 === 0 }));
  }
  return mail;
}

describe('ListMessages', () => {
  it('pages newest first with cursors and keeps filters across pages', async () => {
    const list = new ListMessages(mailbox(7), { defaultPageSize: 2, maxPageSize: 3 });
    const seen: string[] = [];
    let page = await list.execute(me, { unreadOnly: true });
    seen.push(...page.items.map((m) => m.id));
    while (page.nextCursor !== undefined) {
      page = await list.execute(me, { cursor: page.nextCursor });
      seen.push(...page.items.map((m) => m.id));
    }
    expect(seen).toEqual(['m5', 'm3', 'm1']);
  });

  it('clamps the page size to the maximum', async () => {
    const page = await new ListMessages(mailbox(10), { maxPageSize: 4 }).execute(me, { pageSize: 1000 });
    expect(page.items).toHaveLength(4);
  });

  it('does not show another user\'s mailbox', async () => {
    const page = await new ListMessages(mailbox(3)).execute(makeIdentity({ objectId: 'someone-else' }), {});
    expect(page.items).toEqual([]);
  });

  it.each([
    [{ from: 'not-an-address' }, 'mail.invalidSender'],
    [{ from: "x@y.com' or 1 eq 1" }, 'mail.invalidSender'],
    [{ receivedAfter: 'yesterday' }, 'mail.invalidDate'],
    [{ receivedAfter: '2024-02-30T00:00:00Z' }, 'mail.invalidDate'],
    [{ receivedAfter: '2024-05-02T00:00:00Z', receivedBefore: '2024-05-01T00:00:00Z' }, 'mail.invalidWindow'],
    [{ folder: '..' }, 'mail.invalidFolder'],
    [{ cursor: 'https://evil.example/steal' }, 'paging.invalidCursor'],
    [{ cursor: 'bm90LWEtY3Vyc29y' }, 'paging.invalidCursor'],
  ])('rejects %j with %s', async (input, code) => {
    const err = await domainErrorOf(() => new ListMessages(mailbox(1)).execute(me, input));
    expect(err.category).toBe('invalid_input');
    expect(err.code).toBe(code);
  });
});

describe('GetMessage', () => {
  it('truncates the body to the cap and says so', async () => {
    const mail = mailbox();
    mail.add(me, makeMessage({ id: 'long', body: 'x'.repeat(100) }));
    const msg = await new GetMessage(mail, { maxBodyChars: 10 }).execute(me, { messageId: 'long' });
    expect(msg.body).toBe('x'.repeat(10));
    expect(msg.bodyTruncated).toBe(true);
  });

  it('never splits a surrogate pair when truncating', async () => {
    const mail = mailbox();
    mail.add(me, makeMessage({ id: 'emoji', body: 'ab😀cd' }));
    const msg = await new GetMessage(mail, { maxBodyChars: 3 }).execute(me, { messageId: 'emoji' });
    expect(msg.body).toBe('ab');
  });

  it('keeps short bodies whole', async () => {
    const mail = mailbox();
    mail.add(me, makeMessage({ id: 'short', body: 'hello' }));
    const msg = await new GetMessage(mail).execute(me, { messageId: 'short' });
    expect(msg).toMatchObject({ body: 'hello', bodyTruncated: false });
  });

  it('maps a missing message to not_found and rejects hostile ids', async () => {
    expect((await domainErrorOf(() => new GetMessage(mailbox()).execute(me, { messageId: 'nope' }))).category).toBe('not_found');
    for (const messageId of ['', '..', 'a\nb', 'x'.repeat(2000)]) {
      expect((await domainErrorOf(() => new GetMessage(mailbox()).execute(me, { messageId }))).code).toBe('mail.invalidMessageId');
    }
  });
});

describe('SendMail', () => {
  const valid = { to: ['bob@contoso.com'], subject: 'Hi', body: 'Hello Bob' };

  it('sends with normalized recipients and counts unique ones', async () => {
    const mail = mailbox();
    const result = await new SendMail(mail).execute(me, { ...valid, to: [' bob@contoso.com ', { address: 'Bob@contoso.com', name: 'Bob' }], cc: ['eve@contoso.com'] });
    expect(result).toEqual({ status: 'sent', recipients: 2 });
    expect(mail.sent).toHaveLength(1);
    expect(mail.sent[0]?.mail).toMatchObject({ bodyType: 'text', saveToSentItems: true, to: [{ address: 'bob@contoso.com' }, { address: 'Bob@contoso.com', name: 'Bob' }] });
  });

  it.each([
    ['CR/LF in subject', { subject: 'Hi\r\nBcc: victim@evil.com' }, 'mail.invalidSubject'],
    ['tab in subject', { subject: 'a\tb' }, 'mail.invalidSubject'],
    ['NUL in subject', { subject: 'a\u0000b' }, 'mail.invalidSubject'],
    ['overlong subject', { subject: 's'.repeat(999) }, 'mail.invalidSubject'],
    ['no recipients', { to: [] }, 'mail.noRecipients'],
    ['display-name syntax', { to: ['Bob <bob@contoso.com>'] }, 'mail.invalidRecipient'],
    ['comma-joined list', { to: ['a@b.com,c@d.com'] }, 'mail.invalidRecipient'],
    ['header injection in address', { to: ['bob@contoso.com\r\nBcc: x@evil.com'] }, 'mail.invalidRecipient'],
    ['no domain dot', { to: ['bob@localhost'] }, 'mail.invalidRecipient'],
    ['CR/LF in name', { to: [{ address: 'bob@contoso.com', name: 'Bob\r\nX-Evil: 1' }] }, 'mail.invalidRecipientName'],
    ['bad bodyType', { bodyType: 'rtf' }, 'mail.invalidBodyType'],
  ])('rejects %s', async (_label, patch, code) => {
    const mail = mailbox();
    const err = await domainErrorOf(() => new SendMail(mail).execute(me, { ...valid, ...(patch as object) }));
    expect(err.code).toBe(code);
    expect(err.category).toBe('invalid_input');
    expect(mail.sent).toHaveLength(0);
  });

  it('rejects too many recipients before parsing them', async () => {
    const to = Array.from({ length: 501 }, (_, i) => `u${i}@contoso.com`);
    const err = await domainErrorOf(() => new SendMail(mailbox()).execute(me, { ...valid, to }));
    expect(err.code).toBe('mail.tooManyRecipients');
    expect(err.message).toContain('500');
  });

  it('rejects an oversize body as payload_too_large naming the limit', async () => {
    const err = await domainErrorOf(() => new SendMail(mailbox(), { maxBodyBytes: 10 }).execute(me, { ...valid, body: 'é'.repeat(6) }));
    expect(err.category).toBe('payload_too_large');
    expect(err.message).toContain('10 bytes');
  });
});
