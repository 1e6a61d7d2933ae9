import { invalidInput } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { MessageSummary } from '../mail.js';
import { FLAG_STATUSES, type MessageChanges } from '../mailbox.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface UpdateMessageInput extends MessageChanges {
  messageId: string;
}

/** Triage: mark read or unread, flag or complete a follow-up, change importance. */
export class UpdateMessage {
  constructor(private readonly mailbox: MailboxGateway) {}

  execute(caller: Identity, input: UpdateMessageInput): Promise<MessageSummary> {
    const id = requireGraphId(input.messageId, 'mail.invalidMessageId', 'The message id');
    const changes: MessageChanges = {};
    if (input.isRead !== undefined) changes.isRead = input.isRead;
    if (input.flag !== undefined) {
      if (!FLAG_STATUSES.includes(input.flag)) throw invalidInput('mail.invalidFlag', 'flag must be notFlagged, flagged or complete.');
      changes.flag = input.flag;
    }
    if (input.importance !== undefined) changes.importance = input.importance;
    if (Object.keys(changes).length === 0) throw invalidInput('mail.nothingToChange', 'Give isRead, flag or importance.');
    return this.mailbox.update(caller, id, changes);
  }
}
