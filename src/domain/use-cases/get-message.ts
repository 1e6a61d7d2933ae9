import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { Message } from '../mail.js';
import { truncateText } from '../text.js';
import type { MailGateway } from '../../ports/mail-gateway.js';

export interface GetMessageInput {
  messageId: string;
}

export interface GetMessageLimits {
  /** Body characters returned inline; the rest is cut and `bodyTruncated` says so. */
  maxBodyChars: number;
}

export const DEFAULT_GET_MESSAGE_LIMITS: GetMessageLimits = { maxBodyChars: 50_000 };

/** Reads one message with its body as plain text, cut to the configured cap. */
export class GetMessage {
  private readonly limits: GetMessageLimits;

  constructor(
    private readonly mail: MailGateway,
    limits: Partial<GetMessageLimits> = {},
  ) {
    this.limits = { ...DEFAULT_GET_MESSAGE_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: GetMessageInput): Promise<Message> {
    const id = requireGraphId(input.messageId, 'mail.invalidMessageId', 'The message id');
    const message = await this.mail.getMessage(caller, id);
    const { text, truncated } = truncateText(message.body, this.limits.maxBodyChars);
    return { ...message, body: text, bodyTruncated: message.bodyTruncated || truncated };
  }
}
