import type { RecipientInput } from '../email-address.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import { DEFAULT_COMPOSE_LIMITS, parseRecipients, validateBody } from '../mail-compose.js';
import type { ComposeLimits } from '../mail-compose.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface ForwardMessageInput {
  messageId: string;
  to: RecipientInput[];
  comment?: string;
}

/** Forwards a message (with its attachments) to new recipients. */
export class ForwardMessage {
  private readonly limits: ComposeLimits;

  constructor(
    private readonly mailbox: MailboxGateway,
    limits: Partial<ComposeLimits> = {},
  ) {
    this.limits = { ...DEFAULT_COMPOSE_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: ForwardMessageInput): Promise<{ status: 'sent'; recipients: number }> {
    const recipients = parseRecipients({ to: input.to }, this.limits, true);
    await this.mailbox.forward(caller, {
      messageId: requireGraphId(input.messageId, 'mail.invalidMessageId', 'The message id'),
      comment: validateBody(input.comment ?? '', this.limits),
      to: recipients.to,
    });
    return { status: 'sent', recipients: recipients.unique };
  }
}
