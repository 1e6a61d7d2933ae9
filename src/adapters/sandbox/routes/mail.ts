import { Hono } from 'hono';
import { z } from 'zod';
import { textToHtml } from '../content.js';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { badRequest, notFound } from '../graph-errors.js';
import { messageJson } from '../graph-json.js';
import {
  applySelect,
  decodeSkipToken,
  encodeSkipToken,
  nextLink,
  pageAfter,
  parseMessageFilter,
  parsePrefer,
  parseSelect,
  parseTop,
} from '../odata.js';
import type { EmailAddress, StoredAttachment, StoredMessage, WellKnownFolder } from '../sandbox-tenant.js';
import { attachmentJson, attachmentsOf } from '../mail-attachments.js';
import type { RouteDeps } from './route-deps.js';
import { odataContext } from './route-deps.js';
import { OUTLOOK_BODY_ERRORS, readJsonBody } from './json-body.js';

const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const recipientSchema = z.object({
  emailAddress: z.object({ address: z.string(), name: z.string().optional() }),
});
export const fileAttachmentSchema = z.object({
  '@odata.type': z.literal('#microsoft.graph.fileAttachment'),
  name: z.string().min(1),
  contentType: z.string().optional(),
  contentBytes: z.string(),
  isInline: z.boolean().optional(),
});

/** Stored attachments from Graph's fileAttachment JSON, with fresh ids. */
export function storeAttachments(deps: RouteDeps, list: Array<z.infer<typeof fileAttachmentSchema>> | undefined): StoredAttachment[] {
  return (list ?? []).map((a) => {
    const data = Buffer.from(a.contentBytes, 'base64');
    return {
      id: deps.tenant.nextRuntimeId('attachment'),
      name: a.name,
      contentType: a.contentType ?? 'application/octet-stream',
      isInline: a.isInline ?? false,
      size: data.length,
      content: { kind: 'bytes', data },
    };
  });
}

/** `$search="words"`: every word in subject, body or people; Graph allows neither $orderby nor $filter with it. */
function searchPredicate(raw: string | undefined, orderBy: string | undefined, filter: string | undefined): ((m: StoredMessage) => boolean) | undefined {
  if (raw === undefined) return undefined;
  if (orderBy !== undefined) throw badRequest('SearchWithOrderBy', 'This request has a $search query option and an $orderby query option, which is not supported.');
  if (filter !== undefined) throw badRequest('ErrorInvalidUrlQuery', 'The query parameter \'$filter\' is not supported with \'$search\'.');
  const terms = raw.replace(/^"|"$/g, '').toLowerCase().split(/\s+/).filter((t) => t !== '');
  if (terms.length === 0) throw badRequest('BadRequest', 'The $search query is empty.');
  return (m) => {
    const text = `${m.subject} ${m.bodyHtml} ${[m.from, ...m.to, ...m.cc].map((p) => `${p.name} ${p.address}`).join(' ')}`.toLowerCase();
    return terms.every((t) => text.includes(t));
  };
}

const sendMailSchema = z.object({
  message: z.object({
    subject: z.string().optional(),
    body: z.object({ contentType: z.string(), content: z.string() }).optional(),
    toRecipients: z.array(recipientSchema).optional(),
    ccRecipients: z.array(recipientSchema).optional(),
    bccRecipients: z.array(recipientSchema).optional(),
    importance: z.enum(['low', 'normal', 'high']).optional(),
    attachments: z.array(fileAttachmentSchema).optional(),
  }),
  saveToSentItems: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
});

function wantsTextBody(c: SandboxContext): boolean {
  const wanted =
    parsePrefer(c.req.header('prefer')).get('outlook.body-content-type')?.toLowerCase() === 'text';
  if (wanted) c.header('Preference-Applied', 'outlook.body-content-type="text"');
  return wanted;
}

function parseOrderBy(raw: string | undefined): 'asc' | 'desc' {
  if (raw === undefined) return 'desc';
  const m = /^receivedDateTime(?:\s+(asc|desc))?$/i.exec(raw.trim());
  if (!m) throw badRequest('BadRequest', `The $orderby expression '${raw}' is not supported.`);
  return (m[1]?.toLowerCase() as 'asc' | 'desc' | undefined) ?? 'asc';
}

export function mailRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  const list = (c: SandboxContext, folder: WellKnownFolder | undefined): Response => {
    const user = c.get('user');
    const mailbox = deps.tenant.mailbox(user.id);
    const top = parseTop(c.req.query('$top'), 10, 1000);
    const select = parseSelect(c.req.query('$select'));
    const filter = parseMessageFilter(c.req.query('$filter'));
    const search = searchPredicate(c.req.query('$search'), c.req.query('$orderby'), c.req.query('$filter'));
    const order = parseOrderBy(c.req.query('$orderby'));
    const token = decodeSkipToken(c.req.query('$skiptoken'));
    const skip = c.req.query('$skip');
    if (skip !== undefined && !/^\d+$/.test(skip))
      throw badRequest('BadRequest', `Invalid value '${skip}' for query option $skip.`);
    const accept = (m: StoredMessage): boolean =>
      (folder === undefined || m.folder === folder) && (filter === undefined || filter(m)) && (search === undefined || search(m));
    let isAfter: ((m: StoredMessage) => boolean) | undefined;
    if (token) {
      const [ms, id] = token as [number, string];
      isAfter =
        order === 'desc'
          ? (m) => m.receivedMs < ms || (m.receivedMs === ms && m.id < id)
          : (m) => m.receivedMs > ms || (m.receivedMs === ms && m.id > id);
    } else if (skip !== undefined) {
      let seen = 0;
      const n = Number(skip);
      isAfter = (m) => (accept(m) ? seen++ >= n : false);
    }
    const { items, more } = pageAfter(mailbox.sorted, order === 'asc', isAfter, accept, top);
    const asText = wantsTextBody(c);
    const body: Record<string, unknown> = {
      '@odata.context': odataContext(c.req.url, `users('${user.id}')/messages`),
      value: items.map((m) => applySelect(messageJson(m, mailbox, asText, deps.webBase), select)),
    };
    const last = items[items.length - 1];
    if (more && last)
      body['@odata.nextLink'] = nextLink(c.req.url, encodeSkipToken([last.receivedMs, last.id]));
    return c.json(body);
  };

  app.get('/me/messages', (c) => {
    requireScope(c, 'exchange', 'Mail.Read', 'Mail.ReadBasic');
    return list(c, undefined);
  });

  app.get('/me/mailFolders/:folder/messages', (c) => {
    requireScope(c, 'exchange', 'Mail.Read', 'Mail.ReadBasic');
    const folder = deps.tenant.mailbox(c.get('user').id).resolveFolder(c.req.param('folder'));
    if (!folder) throw notFound('exchange');
    return list(c, folder);
  });

  app.get('/me/messages/:id', (c) => {
    requireScope(c, 'exchange', 'Mail.Read');
    const mailbox = deps.tenant.mailbox(c.get('user').id);
    const message = mailbox.get(c.req.param('id'));
    if (!message) throw notFound('exchange');
    const resource = {
      '@odata.context': odataContext(c.req.url, `users('${c.get('user').id}')/messages/$entity`),
      ...messageJson(message, mailbox, wantsTextBody(c), deps.webBase),
    };
    const selected = applySelect(resource, parseSelect(c.req.query('$select')));
    const expand = c.req.query('$expand');
    if (expand !== undefined) {
      if (!/^attachments(\(\$select=[A-Za-z,]+\))?$/.test(expand))
        throw badRequest('BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${expand}'.`);
      selected.attachments = attachmentsOf(message).map((a) => attachmentJson(a, message));
    }
    return c.json(selected);
  });

  app.post('/me/sendMail', async (c) => {
    requireScope(c, 'exchange', 'Mail.Send');
    const { message, saveToSentItems } = await readJsonBody(c, sendMailSchema, OUTLOOK_BODY_ERRORS);
    const toList = (rs: Array<z.infer<typeof recipientSchema>> | undefined): EmailAddress[] =>
      (rs ?? []).map((r) => ({
        name: r.emailAddress.name ?? r.emailAddress.address,
        address: r.emailAddress.address.trim(),
      }));
    const to = toList(message.toRecipients);
    const cc = toList(message.ccRecipients);
    const bcc = toList(message.bccRecipients);
    const all = [...to, ...cc, ...bcc];
    if (all.length === 0)
      throw badRequest(
        'ErrorInvalidRecipients',
        "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
      );
    const invalid = all.find((r) => !ADDRESS.test(r.address));
    if (invalid)
      throw badRequest(
        'ErrorInvalidRecipients',
        `At least one recipient isn't valid., Recipient '${invalid.address}' isn't resolved. All recipients must be resolved before a message can be submitted.`,
      );
    const contentType = (message.body?.contentType ?? 'text').toLowerCase();
    if (contentType !== 'text' && contentType !== 'html')
      throw badRequest(
        'ErrorInvalidRequest',
        `Cannot convert the literal '${message.body?.contentType ?? ''}' to the expected type 'microsoft.graph.bodyType'.`,
      );
    const content = message.body?.content ?? '';
    const bodyHtml = contentType === 'html' ? content : textToHtml(content);

    const sender = c.get('user');
    const now = deps.now();
    const nowMs = now - (now % 1000);
    const from: EmailAddress = { name: sender.displayName, address: sender.mail };
    const conversationId = deps.tenant.nextRuntimeId('conversation').replace(/^AAMk/, 'AAQk');
    const attachments = storeAttachments(deps, message.attachments);
    const base = {
      subject: message.subject ?? '',
      bodyHtml,
      from,
      to,
      cc,
      receivedMs: nowMs,
      sentMs: nowMs,
      hasAttachments: attachments.length > 0,
      attachments,
      importance: message.importance ?? 'normal',
      conversationId,
    } as const;
    if (saveToSentItems !== false && saveToSentItems !== 'false') {
      deps.tenant
        .mailbox(sender.id)
        .add({ ...base, id: deps.tenant.nextRuntimeId('message'), folder: 'sentitems', bcc, isRead: true });
    }
    const delivered = new Set<string>();
    for (const r of all) {
      const recipient = deps.tenant.userByAddress(r.address);
      if (!recipient || delivered.has(recipient.id)) continue;
      delivered.add(recipient.id);
      deps.tenant
        .mailbox(recipient.id)
        .add({ ...base, id: deps.tenant.nextRuntimeId('message'), folder: 'inbox', bcc: [], isRead: false });
    }
    return c.body(null, 202);
  });

  return app;
}
