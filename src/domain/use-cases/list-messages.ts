import { isValidEmailAddress } from '../email-address.js';
import { invalidInput } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { MessageQuery, MessageSummary } from '../mail.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import { parseIsoInstant } from '../time.js';
import type { MailGateway } from '../../ports/mail-gateway.js';

export interface ListMessagesInput extends MessageQuery, PageRequest {}

export interface ListMessagesLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

export const DEFAULT_LIST_MESSAGES_LIMITS: ListMessagesLimits = { defaultPageSize: 25, maxPageSize: 100 };

/** Lists messages, newest first, optionally filtered; later pages come from the cursor alone. */
export class ListMessages {
  private readonly limits: ListMessagesLimits;

  constructor(
    private readonly mail: MailGateway,
    limits: Partial<ListMessagesLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIST_MESSAGES_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: ListMessagesInput): Promise<Page<MessageSummary>> {
    const pageSize = clampPageSize(input.pageSize, this.limits.defaultPageSize, this.limits.maxPageSize);
    const cursor = validateCursor(input.cursor);
    return this.mail.listMessages(caller, cursor === undefined ? toQuery(input) : {}, pageSize, cursor);
  }
}

function toQuery(input: ListMessagesInput): MessageQuery {
  const query: MessageQuery = {};
  if (input.folder !== undefined) query.folder = requireGraphId(input.folder, 'mail.invalidFolder', 'The folder (a well-known name like inbox, or a folder id)');
  if (input.unreadOnly !== undefined) query.unreadOnly = input.unreadOnly;
  if (input.hasAttachments !== undefined) query.hasAttachments = input.hasAttachments;
  if (input.from !== undefined) {
    const from = input.from.trim();
    if (!isValidEmailAddress(from)) {
      throw invalidInput('mail.invalidSender', 'The "from" filter must be one email address like name@example.com.');
    }
    query.from = from;
  }
  const after = instant(input.receivedAfter, 'receivedAfter');
  const before = instant(input.receivedBefore, 'receivedBefore');
  if (after !== undefined) query.receivedAfter = new Date(after).toISOString();
  if (before !== undefined) query.receivedBefore = new Date(before).toISOString();
  if (after !== undefined && before !== undefined && after >= before) {
    throw invalidInput('mail.invalidWindow', '"receivedAfter" must be earlier than "receivedBefore".');
  }
  return query;
}

function instant(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseIsoInstant(value);
  if (ms === null) {
    throw invalidInput('mail.invalidDate', `"${field}" must be an ISO 8601 instant with an offset, e.g. 2024-05-01T00:00:00Z.`);
  }
  return ms;
}
