import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../support/gateway.js';

interface Summary {
  id: string;
  subject: string;
  isRead: boolean;
  hasAttachments: boolean;
  flag?: string;
  from?: { address: string };
}
interface Attachment {
  id: string;
  name: string;
  size: number;
  kind: string;
}

describe('mail family through the MCP SDK client against the sandbox', () => {
  let gateway: RunningGateway;
  let megan: Client;
  let alex: Client;
  const megan_ = seededUser('megan');
  const stamp = Date.now();

  beforeAll(async () => {
    gateway = await startTestGateway({ MAIL_ATTACHMENTS_MAX_BYTES: '65536' });
    megan = await connectClient(gateway, 'megan');
    alex = await connectClient(gateway, 'alex');
  });
  afterAll(async () => {
    await megan.close();
    await alex.close();
    await gateway.close();
  });

  const inboxOf = (userName: string): { subject: string; id: string; hasAttachments: boolean }[] =>
    gateway.sandbox!.tenant.mailbox(seededUser(userName).id).sorted.filter((m) => m.folder === 'inbox');

  it('lists the well-known folders with counts', async () => {
    const { folders } = await callOk<{ folders: { id: string; name: string; totalCount: number; unreadCount: number }[] }>(megan, 'mail_list_folders');
    const inbox = folders.find((f) => f.name === 'Inbox');
    expect(inbox?.totalCount).toBe(inboxOf('megan').length);
    expect(folders.map((f) => f.name)).toEqual(expect.arrayContaining(['Inbox', 'Sent Items', 'Drafts', 'Deleted Items', 'Archive']));
    const sub = await callOk<{ folders: unknown[] }>(megan, 'mail_list_folders', { parentFolderId: inbox!.id });
    expect(sub.folders).toEqual([]);
    expect((await callError(megan, 'mail_list_folders', { parentFolderId: 'no-such-folder' })).category).toBe('not_found');
  });

  it('searches mail by keywords and pages with the cursor', async () => {
    const first = await callOk<{ messages: Summary[]; nextCursor?: string }>(megan, 'mail_search', { query: 'budget', pageSize: 5 });
    expect(first.messages).toHaveLength(5);
    expect(first.nextCursor).toBeDefined();
    const second = await callOk<{ messages: Summary[] }>(megan, 'mail_search', { query: 'budget', pageSize: 5, cursor: first.nextCursor });
    const ids = new Set([...first.messages, ...second.messages].map((m) => m.id));
    expect(ids.size).toBe(10);
    const none = await callOk<{ messages: Summary[]; nextCursor?: string }>(megan, 'mail_search', { query: 'zzqqxxnothing' });
    expect(none).toEqual({ messages: [] });
    expect((await callError(megan, 'mail_search', { query: '   ' })).code).toBe('mail.emptyQuery');
  });

  it('lists attachments on a message, returns a small one inline and a large one as a download link', async () => {
    const withFiles = inboxOf('megan').filter((m) => m.hasAttachments);
    let small: Attachment | undefined;
    let large: { message: string; attachment: Attachment } | undefined;
    let smallMessage = '';
    for (const m of withFiles.slice(0, 6)) {
      const full = await callOk<{ attachments?: Attachment[] }>(megan, 'mail_get_message', { messageId: m.id });
      expect(full.attachments?.length).toBe(2);
      for (const a of full.attachments ?? []) {
        if (a.name === 'Notes.txt' && !small) {
          small = a;
          smallMessage = m.id;
        }
        if (a.size > 3 * 1024 * 1024 && !large) large = { message: m.id, attachment: a };
      }
    }
    expect(small).toBeDefined();
    expect(large).toBeDefined();
    const content = await callOk<{ contentBase64: string; size: number; name: string }>(megan, 'mail_get_attachment', {
      messageId: smallMessage,
      attachmentId: small!.id,
    });
    expect(Buffer.from(content.contentBase64, 'base64').length).toBe(small!.size);
    expect(Buffer.from(content.contentBase64, 'base64').toString('ascii')).toMatch(/^[a-z \n]+$/);
    // Over the inline cap (65536 here): no bytes in the result, a link to them instead.
    const linked = await callOk<{ contentBase64: string; downloadUrl?: string }>(megan, 'mail_get_attachment', { messageId: large!.message, attachmentId: large!.attachment.id });
    expect(linked.contentBase64).toBe('');
    const meganToken = gateway.devToken({ tenantId: megan_.tenantId, objectId: megan_.id });
    const res = await fetch(linked.downloadUrl ?? '', { headers: { authorization: `Bearer ${meganToken}` } });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(large!.attachment.size);
    expect((await callError(megan, 'mail_get_attachment', { messageId: smallMessage, attachmentId: 'nope' })).category).toBe('not_found');
  });

  it('sends mail with an attachment that the recipient can download', async () => {
    const subject = `Attachment e2e ${stamp}`;
    const bytes = Buffer.from([0, 1, 2, 3, 254, 255]);
    await callOk(megan, 'mail_send', {
      to: ['alex.wilber@contoso.example'],
      subject,
      body: 'See attached.',
      attachments: [{ name: 'data.bin', contentBase64: bytes.toString('base64') }],
    });
    const received = inboxOf('alex').find((m) => m.subject === subject);
    expect(received?.hasAttachments).toBe(true);
    const full = await callOk<{ attachments: Attachment[] }>(alex, 'mail_get_message', { messageId: received!.id });
    const got = await callOk<{ contentBase64: string }>(alex, 'mail_get_attachment', { messageId: received!.id, attachmentId: full.attachments[0]!.id });
    expect(Buffer.from(got.contentBase64, 'base64').equals(bytes)).toBe(true);
    const huge = 'A'.repeat(100_000);
    const err = await callError(megan, 'mail_send', { to: ['alex.wilber@contoso.example'], subject: 'big', body: 'x', attachments: [{ name: 'big.bin', contentBase64: huge }] });
    expect(err).toMatchObject({ category: 'payload_too_large', code: 'mail.attachmentsTooLarge' });
    const bad = await callError(megan, 'mail_send', { to: ['alex.wilber@contoso.example'], subject: 'b', body: 'x', attachments: [{ name: 'a/b', contentBase64: 'AAAA' }] });
    expect(bad.code).toBe('mail.invalidAttachment');
  });

  it('replies, replies all and forwards; the recipients receive them', async () => {
    const subject = `Thread e2e ${stamp}`;
    await callOk(alex, 'mail_send', { to: ['megan.bowen@contoso.example'], cc: ['adele.vance@contoso.example'], subject, body: 'Original' });
    const original = inboxOf('megan').find((m) => m.subject === subject)!;
    expect(await callOk(megan, 'mail_reply', { messageId: original.id, comment: 'Thanks Alex' })).toEqual({ status: 'sent', replyAll: false });
    expect(inboxOf('alex').filter((m) => m.subject === `RE: ${subject}`)).toHaveLength(1);
    expect(inboxOf('adele').filter((m) => m.subject === `RE: ${subject}`)).toHaveLength(0);
    await callOk(megan, 'mail_reply', { messageId: original.id, comment: 'Thanks all', replyAll: true });
    expect(inboxOf('alex').filter((m) => m.subject === `RE: ${subject}`)).toHaveLength(2);
    expect(inboxOf('adele').filter((m) => m.subject === `RE: ${subject}`)).toHaveLength(1);
    const fwd = await callOk(megan, 'mail_forward', { messageId: original.id, to: ['lee.gu@contoso.example'], comment: 'FYI' });
    expect(fwd).toEqual({ status: 'sent', recipients: 1 });
    const forwarded = inboxOf('lee').find((m) => m.subject === `FW: ${subject}`);
    expect(forwarded).toBeDefined();
    const lee = await connectClient(gateway, 'lee');
    const body = await callOk<{ body: string }>(lee, 'mail_get_message', { messageId: forwarded!.id });
    await lee.close();
    expect(body.body).toContain('FYI');
    expect(body.body).toContain('Original');
    expect((await callError(megan, 'mail_reply', { messageId: 'missing', comment: 'x' })).category).toBe('not_found');
    expect((await callError(megan, 'mail_forward', { messageId: original.id, to: [] })).category).toBe('invalid_input');
  });

  it('creates, updates and sends a draft', async () => {
    const subject = `Draft e2e ${stamp}`;
    const draft = await callOk<Summary>(megan, 'mail_create_draft', { subject, body: 'First version' });
    expect(gateway.sandbox!.tenant.mailbox(megan_.id).get(draft.id)?.folder).toBe('drafts');
    const updated = await callOk<Summary>(megan, 'mail_update_draft', {
      messageId: draft.id,
      to: ['nestor.wilke@contoso.example'],
      body: 'Second version',
      attachments: [{ name: 'n.txt', contentType: 'text/plain', contentBase64: Buffer.from('hi').toString('base64') }],
    });
    expect(updated.id).toBe(draft.id);
    expect((await callError(megan, 'mail_update_draft', { messageId: draft.id })).code).toBe('mail.nothingToChange');
    expect(await callOk(megan, 'mail_send_draft', { messageId: draft.id })).toEqual({ status: 'sent' });
    const got = inboxOf('nestor').find((m) => m.subject === subject)!;
    expect(got.hasAttachments).toBe(true);
    const sentCopy = gateway.sandbox!.tenant.mailbox(megan_.id).get(draft.id);
    expect(sentCopy?.folder).toBe('sentitems');
    // A sent message is no draft any more: Exchange refuses to change or send it again.
    expect((await callError(megan, 'mail_send_draft', { messageId: draft.id })).category).toBe('invalid_input');
    expect((await callError(megan, 'mail_update_draft', { messageId: draft.id, subject: 'late' })).category).toBe('invalid_input');
  });

  it('marks read and flagged, moves to archive, and deletes to Deleted Items', async () => {
    const target = inboxOf('megan').find((m) => !m.subject.includes('e2e'))!;
    const read = await callOk<Summary>(megan, 'mail_update', { messageId: target.id, isRead: false, flag: 'flagged', importance: 'high' });
    expect(read).toMatchObject({ id: target.id, isRead: false, flag: 'flagged', importance: 'high' });
    const reread = await callOk<Summary>(megan, 'mail_update', { messageId: target.id, isRead: true });
    expect(reread.isRead).toBe(true);
    expect((await callError(megan, 'mail_update', { messageId: target.id })).code).toBe('mail.nothingToChange');
    expect((await callError(megan, 'mail_update', { messageId: target.id, flag: 'maybe' })).category).toBe('invalid_input');

    const moved = await callOk<Summary>(megan, 'mail_move', { messageId: target.id, destinationFolder: 'archive' });
    expect(moved.id).not.toBe(target.id);
    const mailbox = gateway.sandbox!.tenant.mailbox(megan_.id);
    expect(mailbox.get(moved.id)?.folder).toBe('archive');
    expect((await callError(megan, 'mail_move', { messageId: target.id, destinationFolder: 'archive' })).category).toBe('not_found');
    expect((await callError(megan, 'mail_move', { messageId: moved.id, destinationFolder: 'nowhere' })).category).toBe('not_found');

    const deleted = await callOk<{ status: string; messageId: string }>(megan, 'mail_delete', { messageId: moved.id });
    expect(deleted.status).toBe('movedToDeletedItems');
    expect(mailbox.get(deleted.messageId)?.folder).toBe('deleteditems');
  });
});
