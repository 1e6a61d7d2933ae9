import { invalidInput } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { MessageSummary } from '../mail.js';
import { DEFAULT_COMPOSE_LIMITS } from '../mail-compose.js';
import type { ComposeLimits } from '../mail-compose.js';
import type { MailboxGateway } from '../../ports/mailbox-gateway.js';
import { toDraftContent, type DraftInput } from './create-draft.js';

export interface UpdateDraftInput extends DraftInput {
  messageId: string;
}

/** Changes the given fields of a draft; lists given replace the old ones, attachments are added. */
export class UpdateDraft {
  private readonly limits: ComposeLimits;

  constructor(
    private readonly mailbox: MailboxGateway,
    limits: Partial<ComposeLimits> = {},
  ) {
    this.limits = { ...DEFAULT_COMPOSE_LIMITS, ...limits };
  }

  execute(caller: Identity, input: UpdateDraftInput): Promise<MessageSummary> {
    const id = requireGraphId(input.messageId, 'mail.invalidMessageId', 'The draft id');
    const { messageId: _id, ...fields } = input;
    const changes = toDraftContent(fields, this.limits);
    if (Object.keys(changes).length === 0) throw invalidInput('mail.nothingToChange', 'Give at least one field to change.');
    return this.mailbox.updateDraft(caller, id, changes);
  }
}
