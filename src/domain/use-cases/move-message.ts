import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { MessageSummary } from '../mail.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface MoveMessageInput {
  messageId: string;
  /** Well-known folder name (inbox, archive, ...) or folder id. */
  destinationFolder: string;
}

/** Moves a message to another folder; the result carries its new id. */
export class MoveMessage {
  constructor(private readonly mailbox: MailboxGateway) {}

  execute(caller: Identity, input: MoveMessageInput): Promise<MessageSummary> {
    return this.mailbox.move(
      caller,
      requireGraphId(input.messageId, 'mail.invalidMessageId', 'The message id'),
      requireGraphId(input.destinationFolder, 'mail.invalidFolder', 'The destination folder (a well-known name like archive, or a folder id)'),
    );
  }
}
