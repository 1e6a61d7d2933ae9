import { z } from 'zod';
import type { GetMessage } from '../../../domain/use-cases/get-message.js';
import { DEFAULT_LIST_MESSAGES_LIMITS, type ListMessages } from '../../../domain/use-cases/list-messages.js';
import type { SendMail } from '../../../domain/use-cases/send-mail.js';
import { CREATES, READ_ONLY, defineTool, type ToolDefinition } from './tool-definition.js';
import { attachmentsInput, cursorInput, idempotencyKeyInput, message, messageSummary, nextCursor, pageSizeInput } from './schemas.js';

export interface MailToolDeps {
  listMessages: ListMessages;
  getMessage: GetMessage;
  sendMail: SendMail;
}

/** Plain addresses: display names add nothing Exchange needs and triple the schema. */
export const recipients = z.array(z.email().max(320)).max(500);

export function mailTools(deps: MailToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'mail_list_messages',
      family: 'mail',
      title: 'List mail messages',
      description:
        'List messages newest first, optionally filtered. Returns compact summaries with a plain-text preview; call mail_get_message for the full body. Page with nextCursor.',
      input: z.object({
        folder: z
          .string()
          .max(256)
          .optional()
          .describe('Well-known folder (inbox, sentitems, drafts, deleteditems, archive) or a folder id. Default: all folders.'),
        unreadOnly: z.boolean().optional().describe('Only unread messages.'),
        from: z.email().max(320).optional().describe('Only messages from this sender address.'),
        receivedAfter: z.iso.datetime({ offset: true }).optional().describe('ISO 8601 instant, inclusive.'),
        receivedBefore: z.iso.datetime({ offset: true }).optional().describe('ISO 8601 instant, exclusive.'),
        hasAttachments: z.boolean().optional(),
        pageSize: pageSizeInput(DEFAULT_LIST_MESSAGES_LIMITS.maxPageSize, DEFAULT_LIST_MESSAGES_LIMITS.defaultPageSize),
        cursor: cursorInput,
      }),
      output: z.object({ messages: z.array(messageSummary), nextCursor }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.listMessages.execute(caller, input);
        return { messages: page.items, nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'mail_get_message',
      family: 'mail',
      title: 'Get a mail message',
      description:
        'Get one message by id with recipients, attachment list and body as plain text (long bodies are truncated; see bodyTruncated). Fetch a file with mail_get_attachment.',
      input: z.object({ messageId: z.string().min(1).max(512).describe('Message id from mail_list_messages or search_query.') }),
      output: message,
      annotations: READ_ONLY,
      run: ({ caller }, input) => deps.getMessage.execute(caller, input),
    }),
    defineTool({
      name: 'mail_send',
      family: 'mail',
      title: 'Send a mail message',
      description:
        'Send a new message from the signed-in user. Sending cannot be undone. Pass idempotency_key so a retry after a timeout does not send twice. Saved to Sent Items by default.',
      input: z.object({
        to: recipients.min(1).describe('Recipient addresses.'),
        cc: recipients.optional(),
        bcc: recipients.optional(),
        subject: z.string().max(998).describe('Single line; no line breaks.'),
        body: z.string().max(3_000_000),
        bodyType: z.enum(['text', 'html']).optional().describe('Default text.'),
        saveToSentItems: z.boolean().optional().describe('Default true.'),
        attachments: attachmentsInput,
        idempotency_key: idempotencyKeyInput,
      }),
      output: z.object({ status: z.literal('sent'), recipients: z.number().int() }),
      annotations: CREATES,
      run: ({ caller }, { idempotency_key: _key, ...mail }) => deps.sendMail.execute(caller, mail),
    }),
  ];
}
