import { invalidInput } from '../errors.js';
import type { Identity } from '../identity.js';
import type { MessageSummary } from '../mail.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import { hasControlChars, hasLoneSurrogate } from '../text.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface SearchMessagesInput extends PageRequest {
  query: string;
}

export const SEARCH_MESSAGES_LIMITS = { defaultPageSize: 25, maxPageSize: 50, maxQueryChars: 255 } as const;

/** Keyword search over the whole mailbox (subject, body, people), most relevant first. */
export class SearchMessages {
  constructor(private readonly mailbox: MailboxGateway) {}

  async execute(caller: Identity, input: SearchMessagesInput): Promise<Page<MessageSummary>> {
    const pageSize = clampPageSize(input.pageSize, SEARCH_MESSAGES_LIMITS.defaultPageSize, SEARCH_MESSAGES_LIMITS.maxPageSize);
    const cursor = validateCursor(input.cursor);
    const query = typeof input.query === 'string' ? input.query.replace(/[\t\r\n]+/g, ' ').trim() : '';
    if (query === '') throw invalidInput('mail.emptyQuery', 'Give some words to search for.');
    if (hasControlChars(query) || hasLoneSurrogate(query) || query.length > SEARCH_MESSAGES_LIMITS.maxQueryChars) {
      throw invalidInput('mail.invalidQuery', `The query must be plain text of at most ${SEARCH_MESSAGES_LIMITS.maxQueryChars} characters.`);
    }
    return this.mailbox.searchMessages(caller, query, pageSize, cursor);
  }
}
