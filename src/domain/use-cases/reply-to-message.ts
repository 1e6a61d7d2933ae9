import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import { DEFAULT_COMPOSE_LIMITS, validateBody } from '../mail-compose.js';
import type { ComposeLimits } from '../mail-compose.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';

export interface ReplyToMessageInput {
  messageId: string;
  comment: string;
  replyAll?: boolean;
}

/** Replies to the sender (or everyone) with a comment above the quoted original. */
export class ReplyToMessage {
  private readonly limits: ComposeLimits;

  constructor(
    private readonly mailbox: MailboxGateway,
    limits: Partial<ComposeLimits> = {},
  ) {
    this.limits = { ...DEFAULT_COMPOSE_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: ReplyToMessageInput): Promise<{ status: 'sent'; replyAll: boolean }> {
    const replyAll = input.replyAll ?? false;
    await this.mailbox.reply(caller, {
      messageId: requireGraphId(input.messageId, 'mail.invalidMessageId', 'The message id'),
      comment: validateBody(input.comment, this.limits),
      replyAll,
    });
    return { status: 'sent', replyAll };
  }
}
