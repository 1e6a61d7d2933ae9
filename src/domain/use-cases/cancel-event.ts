import { invalidInput } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import { hasLoneSurrogate } from '../text.js';
import type { SchedulingGateway } from '../../ports/scheduling-gateway.js';

export interface CancelEventInput {
  eventId: string;
  comment?: string;
}

/** Cancels a meeting the user organizes and tells the attendees why. */
export class CancelEvent {
  constructor(private readonly scheduling: SchedulingGateway) {}

  async execute(caller: Identity, input: CancelEventInput): Promise<{ status: 'cancelled' }> {
    const comment = input.comment ?? '';
    if (comment.length > 10_000 || comment.includes('\u0000') || hasLoneSurrogate(comment)) {
      throw invalidInput('calendar.invalidComment', 'The comment must be text of at most 10000 characters.');
    }
    await this.scheduling.cancelEvent(caller, requireGraphId(input.eventId, 'calendar.invalidEventId', 'The event id'), comment);
    return { status: 'cancelled' };
  }
}
