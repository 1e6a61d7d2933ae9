import { Hono } from 'hono';
import { z } from 'zod';
import { escapeHtml, fileBytes, textToHtml } from '../content.js';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { badRequest, notFound } from '../graph-errors.js';
import { messageJson } from '../graph-json.js';
import { attachmentJson, attachmentsOf } from '../mail-attachments.js';
import { applySelect, parseSelect, parseTop } from '../odata.js';
import { WELL_KNOWN_FOLDERS, type EmailAddress, type Mailbox, type SandboxUser, type StoredMessage, type WellKnownFolder } from '../sandbox-tenant.js';
import { fileAttachmentSchema, storeAttachments } from './mail.js';
import type { RouteDeps } from './route-deps.js';
import { odataContext } from './route-deps.js';
import { OUTLOOK_BODY_ERRORS, readJsonBody } from './json-body.js';

/** Folders, attachments, drafts, reply/forward, move and PATCH of messages, in Graph's wire format. */

const FOLDER_NAMES: Readonly<Record<WellKnownFolder, string>> = {
  inbox: 'Inbox',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  deleteditems: 'Deleted Items',
  archive: 'Archive',
};

const recipientSchema = z.object({ emailAddress: z.object({ address: z.string(), name: z.string().optional() }) });
const messageSchema = z.object({
  subject: z.string().optional(),
  body: z.object({ contentType: z.string(), content: z.string() }).optional(),
  toRecipients: z.array(recipientSchema).optional(),
  ccRecipients: z.array(recipientSchema).optional(),
  bccRecipients: z.array(recipientSchema).optional(),
  importance: z.enum(['low', 'normal', 'high']).optional(),
  isRead: z.boolean().optional(),
  flag: z.object({ flagStatus: z.enum(['notFlagged', 'flagged', 'complete']) }).optional(),
  attachments: z.array(fileAttachmentSchema).optional(),
});

const toList = (rs: Array<z.infer<typeof recipientSchema>> | undefined): EmailAddress[] =>
  (rs ?? []).map((r) => ({ name: r.emailAddress.name ?? r.emailAddress.address, address: r.emailAddress.address.trim() }));

function bodyHtml(body: { contentType: string; content: string } | undefined): string | undefined {
  if (body === undefined) return undefined;
  const type = body.contentType.toLowerCase();
  if (type !== 'text' && type !== 'html') {
    throw badRequest('ErrorInvalidRequest', `Cannot convert the literal '${body.contentType}' to the expected type 'microsoft.graph.bodyType'.`);
  }
  return type === 'html' ? body.content : textToHtml(body.content);
}

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function mailActionsRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const mailboxOf = (c: SandboxContext): Mailbox => deps.tenant.mailbox(c.get('user').id);
  const messageOf = (c: SandboxContext): StoredMessage => {
    const m = mailboxOf(c).get(c.req.param('id') ?? '');
    if (!m) throw notFound('exchange');
    return m;
  };
  const nowMs = (): number => {
    const now = deps.now();
    return now - (now % 1000);
  };
  const json = (c: SandboxContext, m: StoredMessage, status: 200 | 201 = 200): Response =>
    c.json({ '@odata.context': odataContext(c.req.url, `users('${c.get('user').id}')/messages/$entity`), ...messageJson(m, mailboxOf(c), false, deps.webBase) }, status);

  /** Sends as `sender`: a copy in Sent Items (unless given one to reuse) and one in each sandbox recipient's inbox. */
  const deliver = (sender: SandboxUser, m: Omit<StoredMessage, 'id' | 'folder' | 'isRead' | 'receivedMs' | 'sentMs' | 'from'>, sentCopy?: StoredMessage): void => {
    const all = [...m.to, ...m.cc, ...m.bcc];
    if (all.length === 0) throw badRequest('ErrorInvalidRecipients', "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
    const invalid = all.find((r) => !ADDRESS.test(r.address));
    if (invalid) throw badRequest('ErrorInvalidRecipients', `At least one recipient isn't valid., Recipient '${invalid.address}' isn't resolved.`);
    const t = nowMs();
    const from = { name: sender.displayName, address: sender.mail };
    const mailbox = deps.tenant.mailbox(sender.id);
    if (sentCopy) mailbox.remove(sentCopy.id);
    mailbox.add({ ...m, id: sentCopy?.id ?? deps.tenant.nextRuntimeId('message'), folder: 'sentitems', from, isRead: true, receivedMs: t, sentMs: t });
    const delivered = new Set<string>();
    for (const r of all) {
      const recipient = deps.tenant.userByAddress(r.address);
      if (!recipient || delivered.has(recipient.id)) continue;
      delivered.add(recipient.id);
      deps.tenant.mailbox(recipient.id).add({ ...m, bcc: [], id: deps.tenant.nextRuntimeId('message'), folder: 'inbox', from, isRead: false, receivedMs: t, sentMs: t });
    }
  };

  app.get('/me/mailFolders', (c) => {
    requireScope(c, 'exchange', 'Mail.Read', 'Mail.ReadBasic');
    const top = parseTop(c.req.query('$top'), 10, 1000);
    const mailbox = mailboxOf(c);
    const value = WELL_KNOWN_FOLDERS.slice(0, top).map((f) => {
      const inFolder = mailbox.sorted.filter((m) => m.folder === f);
      return applySelect(
        {
          id: mailbox.folderId(f),
          displayName: FOLDER_NAMES[f],
          parentFolderId: mailbox.folderId('inbox').replace(/AAA=$/, 'AAE='),
          childFolderCount: 0,
          unreadItemCount: inFolder.filter((m) => !m.isRead).length,
          totalItemCount: inFolder.length,
          isHidden: false,
        },
        parseSelect(c.req.query('$select')),
      );
    });
    return c.json({ '@odata.context': odataContext(c.req.url, `users('${c.get('user').id}')/mailFolders`), value });
  });

  app.get('/me/mailFolders/:folder/childFolders', (c) => {
    requireScope(c, 'exchange', 'Mail.Read', 'Mail.ReadBasic');
    if (!mailboxOf(c).resolveFolder(c.req.param('folder'))) throw notFound('exchange');
    return c.json({ '@odata.context': odataContext(c.req.url, `users('${c.get('user').id}')/mailFolders/childFolders`), value: [] });
  });

  app.get('/me/messages/:id/attachments', (c) => {
    requireScope(c, 'exchange', 'Mail.Read');
    const m = messageOf(c);
    const select = parseSelect(c.req.query('$select'));
    return c.json({
      '@odata.context': odataContext(c.req.url, `users('${c.get('user').id}')/messages('${m.id}')/attachments`),
      value: attachmentsOf(m).map((a) => applySelect(attachmentJson(a, m), select)),
    });
  });

  app.get('/me/messages/:id/attachments/:aid', (c) => {
    requireScope(c, 'exchange', 'Mail.Read');
    const m = messageOf(c);
    const a = attachmentsOf(m).find((x) => x.id === c.req.param('aid'));
    if (!a) throw notFound('exchange');
    const select = parseSelect(c.req.query('$select'));
    const bytes = select === undefined || select.includes('contentBytes') ? fileBytes(a.content, a.size).toString('base64') : undefined;
    return c.json(applySelect({ '@odata.context': odataContext(c.req.url, `users('${c.get('user').id}')/messages('${m.id}')/attachments/$entity`), ...attachmentJson(a, m, bytes) }, select));
  });

  // Raw bytes of a file attachment. Graph documents no Range support here; like any server may, this ignores Range.
  app.get('/me/messages/:id/attachments/:aid/$value', (c) => {
    requireScope(c, 'exchange', 'Mail.Read');
    const m = messageOf(c);
    const a = attachmentsOf(m).find((x) => x.id === c.req.param('aid'));
    if (!a) throw notFound('exchange');
    const bytes = fileBytes(a.content, a.size);
    return c.body(new Uint8Array(bytes), 200, { 'content-type': a.contentType, 'content-length': String(bytes.length) });
  });

  app.post('/me/messages/:id/attachments', async (c) => {
    requireScope(c, 'exchange', 'Mail.ReadWrite');
    const m = messageOf(c);
    const stored = storeAttachments(deps, [await readJsonBody(c, fileAttachmentSchema, OUTLOOK_BODY_ERRORS)]);
    m.attachments = [...attachmentsOf(m), ...stored];
    m.hasAttachments = true;
    return c.json(attachmentJson(stored[0]!, m), 201);
  });

  app.post('/me/messages', async (c) => {
    requireScope(c, 'exchange', 'Mail.ReadWrite');
    const body = await readJsonBody(c, messageSchema, OUTLOOK_BODY_ERRORS);
    const user = c.get('user');
    const attachments = storeAttachments(deps, body.attachments);
    const t = nowMs();
    const draft: StoredMessage = {
      id: deps.tenant.nextRuntimeId('message'),
      folder: 'drafts',
      subject: body.subject ?? '',
      bodyHtml: bodyHtml(body.body) ?? '',
      from: { name: user.displayName, address: user.mail },
      to: toList(body.toRecipients),
      cc: toList(body.ccRecipients),
      bcc: toList(body.bccRecipients),
      receivedMs: t,
      sentMs: t,
      isRead: true,
      hasAttachments: attachments.length > 0,
      attachments,
      importance: body.importance ?? 'normal',
      conversationId: deps.tenant.nextRuntimeId('conversation').replace(/^AAMk/, 'AAQk'),
    };
    mailboxOf(c).add(draft);
    return json(c, draft, 201);
  });

  app.patch('/me/messages/:id', async (c) => {
    requireScope(c, 'exchange', 'Mail.ReadWrite');
    const m = messageOf(c);
    const body = await readJsonBody(c, messageSchema, OUTLOOK_BODY_ERRORS);
    const contentChange = body.subject !== undefined || body.body !== undefined || body.toRecipients !== undefined || body.ccRecipients !== undefined || body.bccRecipients !== undefined;
    // Exchange lets only drafts change content; any message can change read state, flag and importance.
    if (contentChange && m.folder !== 'drafts') throw badRequest('ErrorInvalidPropertyUpdateSentMessage', 'Update operation is invalid for property of a sent message.');
    if (body.subject !== undefined) m.subject = body.subject;
    const html = bodyHtml(body.body);
    if (html !== undefined) m.bodyHtml = html;
    if (body.toRecipients !== undefined) m.to = toList(body.toRecipients);
    if (body.ccRecipients !== undefined) m.cc = toList(body.ccRecipients);
    if (body.bccRecipients !== undefined) m.bcc = toList(body.bccRecipients);
    if (body.importance !== undefined) m.importance = body.importance;
    if (body.isRead !== undefined) m.isRead = body.isRead;
    if (body.flag !== undefined) m.flag = body.flag.flagStatus;
    return json(c, m);
  });

  app.post('/me/messages/:id/send', (c) => {
    requireScope(c, 'exchange', 'Mail.Send');
    const m = messageOf(c);
    if (m.folder !== 'drafts') throw badRequest('ErrorInvalidOperation', 'Only draft messages can be sent.');
    deliver(c.get('user'), m, m);
    return c.body(null, 202);
  });

  const respond = async (c: SandboxContext, kind: 'reply' | 'replyAll' | 'forward'): Promise<Response> => {
    requireScope(c, 'exchange', 'Mail.Send');
    const original = messageOf(c);
    const body = await readJsonBody(c, z.object({ comment: z.string().optional(), toRecipients: z.array(recipientSchema).optional() }), OUTLOOK_BODY_ERRORS);
    const user = c.get('user');
    const self = user.mail.toLowerCase();
    let to: EmailAddress[];
    let cc: EmailAddress[] = [];
    if (kind === 'forward') {
      to = toList(body.toRecipients);
    } else {
      to = [original.from];
      if (kind === 'replyAll') {
        to = [...to, ...original.to].filter((r) => r.address.toLowerCase() !== self);
        cc = original.cc.filter((r) => r.address.toLowerCase() !== self);
      }
    }
    const prefix = kind === 'forward' ? 'FW: ' : 'RE: ';
    const comment = escapeHtml(body.comment ?? '').replace(/\r?\n/g, '<br>');
    deliver(user, {
      subject: original.subject.startsWith(prefix) ? original.subject : prefix + original.subject,
      bodyHtml: `<html><body><div>${comment}</div><hr>${original.bodyHtml}</body></html>`,
      to,
      cc,
      bcc: [],
      hasAttachments: kind === 'forward' && original.hasAttachments,
      ...(kind === 'forward' ? { attachments: attachmentsOf(original) } : {}),
      importance: original.importance,
      conversationId: original.conversationId,
    });
    return c.body(null, 202);
  };
  app.post('/me/messages/:id/reply', (c) => respond(c, 'reply'));
  app.post('/me/messages/:id/replyAll', (c) => respond(c, 'replyAll'));
  app.post('/me/messages/:id/forward', (c) => respond(c, 'forward'));

  app.post('/me/messages/:id/move', async (c) => {
    requireScope(c, 'exchange', 'Mail.ReadWrite');
    const m = messageOf(c);
    const { destinationId } = await readJsonBody(c, z.object({ destinationId: z.string().min(1) }), OUTLOOK_BODY_ERRORS);
    const folder = mailboxOf(c).resolveFolder(destinationId);
    if (!folder) throw notFound('exchange', 'The specified folder could not be found in the store.');
    const mailbox = mailboxOf(c);
    mailbox.remove(m.id);
    // Exchange gives a moved item a new id.
    const moved: StoredMessage = { ...m, id: deps.tenant.nextRuntimeId('message'), folder };
    mailbox.add(moved);
    return json(c, moved, 201);
  });

  return app;
}
