import { z } from 'zod';
import type { CreateDraft } from '../../../domain/use-cases/create-draft.js';
import type { DeleteMessage } from '../../../domain/use-cases/delete-message.js';
import type { ForwardMessage } from '../../../domain/use-cases/forward-message.js';
import type { GetAttachment } from '../../../domain/use-cases/get-attachment.js';
import { LIST_MAIL_FOLDERS_LIMITS, type ListMailFolders } from '../../../domain/use-cases/list-mail-folders.js';
import type { MoveMessage } from '../../../domain/use-cases/move-message.js';
import type { ReplyToMessage } from '../../../domain/use-cases/reply-to-message.js';
import { SEARCH_MESSAGES_LIMITS, type SearchMessages } from '../../../domain/use-cases/search-messages.js';
import type { SendDraft } from '../../../domain/use-cases/send-draft.js';
import type { UpdateDraft } from '../../../domain/use-cases/update-draft.js';
import type { UpdateMessage } from '../../../domain/use-cases/update-message.js';
import { CREATES, DESTROYS, READ_ONLY, UPDATES, defineTool, type ToolDefinition } from './tool-definition.js';
import { recipients } from './mail-tools.js';
import { attachmentInfo, attachmentsInput, cursorInput, idempotencyKeyInput, messageRef, messageSummary, nextCursor, pageSizeInput } from './schemas.js';
import type { MessageSummary } from '../../../domain/mail.js';

const ref = (m: MessageSummary): z.input<typeof messageRef> => ({ id: m.id, subject: m.subject, isRead: m.isRead, importance: m.importance, flag: m.flag });

export interface MailActionToolDeps {
  listMailFolders: ListMailFolders;
  searchMessages: SearchMessages;
  getAttachment: GetAttachment;
  createDraft: CreateDraft;
  updateDraft: UpdateDraft;
  sendDraft: SendDraft;
  replyToMessage: ReplyToMessage;
  forwardMessage: ForwardMessage;
  moveMessage: MoveMessage;
  updateMessage: UpdateMessage;
  deleteMessage: DeleteMessage;
  /** Largest attachment returned inline, for the description. */
  attachmentMaxBytes: number;
  /** Whether bigger attachments come as download links (the gateway serves /downloads) rather than an error. */
  attachmentLinks: boolean;
}

const messageId = z.string().min(1).max(512).describe('Message id from mail_list_messages or mail_search.');
const draftId = z.string().min(1).max(512).describe('Draft id from mail_create_draft.');
const folder = z.string().min(1).max(512).describe('Well-known folder (inbox, archive, drafts, sentitems, deleteditems) or a folder id from mail_list_folders.');
const draftFields = {
  to: recipients.optional(),
  cc: recipients.optional(),
  bcc: recipients.optional(),
  subject: z.string().max(998).optional().describe('Single line.'),
  body: z.string().max(3_000_000).optional(),
  bodyType: z.enum(['text', 'html']).optional().describe('Default text.'),
  importance: z.enum(['low', 'normal', 'high']).optional(),
  attachments: attachmentsInput,
};
const sent = z.object({ status: z.literal('sent') });

export function mailActionTools(deps: MailActionToolDeps): ToolDefinition[] {
  const attachMiB = (deps.attachmentMaxBytes / 1024 / 1024).toFixed(0);
  return [
    defineTool({
      name: 'mail_list_folders',
      family: 'mail',
      title: 'List mail folders',
      description: 'Mail folders with unread and total counts (top level, or the subfolders of parentFolderId). Use a folder id with mail_list_messages or mail_move.',
      input: z.object({
        parentFolderId: z.string().min(1).max(512).optional(),
        pageSize: pageSizeInput(LIST_MAIL_FOLDERS_LIMITS.maxPageSize, LIST_MAIL_FOLDERS_LIMITS.defaultPageSize),
        cursor: cursorInput,
      }),
      output: z.object({
        folders: z.array(
          z.object({ id: z.string(), name: z.string(), parentFolderId: z.string().optional(), unreadCount: z.number().int(), totalCount: z.number().int(), childFolderCount: z.number().int() }),
        ),
        nextCursor,
      }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.listMailFolders.execute(caller, input);
        return { folders: page.items, nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'mail_search',
      family: 'mail',
      title: 'Search mail',
      description: 'Keyword search over all mail (subject, body, sender, recipients), most relevant first; no date sorting or filters (use mail_list_messages for those). Page with nextCursor.',
      input: z.object({
        query: z.string().min(1).max(SEARCH_MESSAGES_LIMITS.maxQueryChars).describe('Words to find, e.g. "budget review".'),
        pageSize: pageSizeInput(SEARCH_MESSAGES_LIMITS.maxPageSize, SEARCH_MESSAGES_LIMITS.defaultPageSize),
        cursor: cursorInput,
      }),
      output: z.object({ messages: z.array(messageSummary), nextCursor }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.searchMessages.execute(caller, input);
        return { messages: page.items, nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'mail_get_attachment',
      family: 'mail',
      title: 'Get a mail attachment',
      description: deps.attachmentLinks
        ? `A file attachment's bytes as base64 (ids from mail_get_message). Over ${attachMiB} MiB: contentBase64 is empty and downloadUrl, short-lived, serves the bytes (GET with the same bearer token).`
        : `A file attachment's bytes as base64 (ids from mail_get_message). Files over ${attachMiB} MiB are refused with payload_too_large: open them in Outlook.`,
      input: z.object({ messageId, attachmentId: z.string().min(1).max(512) }),
      output: attachmentInfo.extend({ contentBase64: z.string(), downloadUrl: z.string().optional(), expiresAt: z.string().optional() }),
      annotations: READ_ONLY,
      run: ({ caller }, input) => deps.getAttachment.execute(caller, input),
    }),
    defineTool({
      name: 'mail_reply',
      family: 'mail',
      title: 'Reply to a message',
      description: 'Reply to the sender, or to everyone with replyAll, with a comment above the quoted original. Sends immediately; pass idempotency_key.',
      input: z.object({
        messageId,
        comment: z.string().max(3_000_000).describe('Your reply, plain text.'),
        replyAll: z.boolean().optional().describe('Default false.'),
        idempotency_key: idempotencyKeyInput,
      }),
      output: sent.extend({ replyAll: z.boolean() }),
      annotations: CREATES,
      run: ({ caller }, { idempotency_key: _key, ...input }) => deps.replyToMessage.execute(caller, input),
    }),
    defineTool({
      name: 'mail_forward',
      family: 'mail',
      title: 'Forward a message',
      description: 'Forward a message with its attachments to new recipients, with an optional comment. Sends immediately; pass idempotency_key.',
      input: z.object({
        messageId,
        to: recipients.min(1),
        comment: z.string().max(3_000_000).optional(),
        idempotency_key: idempotencyKeyInput,
      }),
      output: sent.extend({ recipients: z.number().int() }),
      annotations: CREATES,
      run: ({ caller }, { idempotency_key: _key, ...input }) => deps.forwardMessage.execute(caller, input),
    }),
    defineTool({
      name: 'mail_create_draft',
      family: 'mail',
      title: 'Create a draft',
      description: 'Save a new message in Drafts without sending it. Change it with mail_update_draft; send it with mail_send_draft.',
      input: z.object({ ...draftFields, idempotency_key: idempotencyKeyInput }),
      output: messageRef,
      annotations: CREATES,
      run: async ({ caller }, { idempotency_key: _key, ...input }) => ref(await deps.createDraft.execute(caller, input)),
    }),
    defineTool({
      name: 'mail_update_draft',
      family: 'mail',
      title: 'Update a draft',
      description: 'Change the given fields of a draft (recipient lists are replaced; attachments are added). Only drafts can be edited.',
      input: z.object({ messageId: draftId, ...draftFields, idempotency_key: idempotencyKeyInput }),
      output: messageRef,
      annotations: { ...UPDATES, idempotentHint: false },
      run: async ({ caller }, { idempotency_key: _key, ...input }) => ref(await deps.updateDraft.execute(caller, input)),
    }),
    defineTool({
      name: 'mail_send_draft',
      family: 'mail',
      title: 'Send a draft',
      description: 'Send a saved draft; it moves to Sent Items. Cannot be undone; pass idempotency_key.',
      input: z.object({ messageId: draftId, idempotency_key: idempotencyKeyInput }),
      output: sent,
      annotations: CREATES,
      run: ({ caller }, input) => deps.sendDraft.execute(caller, { messageId: input.messageId }),
    }),
    defineTool({
      name: 'mail_move',
      family: 'mail',
      title: 'Move a message',
      description: 'Move a message to another folder (e.g. archive). Returns the message with its new id: use that id afterwards.',
      input: z.object({ messageId, destinationFolder: folder }),
      output: messageRef,
      annotations: UPDATES,
      run: async ({ caller }, input) => ref(await deps.moveMessage.execute(caller, input)),
    }),
    defineTool({
      name: 'mail_update',
      family: 'mail',
      title: 'Mark or flag a message',
      description: 'Mark a message read or unread, flag it for follow-up (or complete/clear the flag), or change its importance.',
      input: z.object({
        messageId,
        isRead: z.boolean().optional(),
        flag: z.enum(['notFlagged', 'flagged', 'complete']).optional(),
        importance: z.enum(['low', 'normal', 'high']).optional(),
      }),
      output: messageRef,
      annotations: UPDATES,
      run: async ({ caller }, input) => ref(await deps.updateMessage.execute(caller, input)),
    }),
    defineTool({
      name: 'mail_delete',
      family: 'mail',
      title: 'Delete a message',
      description: 'Move a message to Deleted Items (recoverable there; never a permanent delete). Returns its id in Deleted Items.',
      input: z.object({ messageId }),
      output: z.object({ status: z.literal('movedToDeletedItems'), messageId: z.string() }),
      annotations: DESTROYS,
      run: ({ caller }, input) => deps.deleteMessage.execute(caller, input),
    }),
  ];
}
