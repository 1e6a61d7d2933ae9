import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface DeleteMessageInput {
  messageId: string;
}

/** Deletes a message the recoverable way: it moves to Deleted Items, never a permanent delete. */
export class DeleteMessage {
  constructor(private readonly mailbox: MailboxGateway) {}

  async execute(caller: Identity, input: DeleteMessageInput): Promise<{ status: 'movedToDeletedItems'; messageId: string }> {
    const moved = await this.mailbox.move(caller, requireGraphId(input.messageId, 'mail.invalidMessageId', 'The message id'), 'deleteditems');
    return { status: 'movedToDeletedItems', messageId: moved.id };
  }
}
