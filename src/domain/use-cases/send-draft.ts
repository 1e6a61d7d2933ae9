import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface SendDraftInput {
  messageId: string;
}

/** Sends a saved draft; Graph moves it to Sent Items. */
export class SendDraft {
  constructor(private readonly mailbox: MailboxGateway) {}

  async execute(caller: Identity, input: SendDraftInput): Promise<{ status: 'sent' }> {
    await this.mailbox.sendDraft(caller, requireGraphId(input.messageId, 'mail.invalidMessageId', 'The draft id'));
    return { status: 'sent' };
  }
}
