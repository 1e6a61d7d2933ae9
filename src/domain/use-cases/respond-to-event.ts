import { invalidInput } from '../errors.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import { EVENT_RESPONSES, type EventResponse } from '../scheduling.js';
import { hasLoneSurrogate } from '../text.js';
import type { SchedulingGateway } from '../../ports/scheduling-gateway.js';

export interface RespondToEventInput {
  eventId: string;
  response: EventResponse;
  comment?: string;
  /** Default true: the organizer gets the response by mail. */
  sendResponse?: boolean;
}

/** Accepts, tentatively accepts or declines a meeting invitation. */
export class RespondToEvent {
  constructor(private readonly scheduling: SchedulingGateway) {}

  async execute(caller: Identity, input: RespondToEventInput): Promise<{ status: 'responded'; response: EventResponse }> {
    if (!EVENT_RESPONSES.includes(input.response)) throw invalidInput('calendar.invalidResponse', 'response must be accept, tentativelyAccept or decline.');
    const comment = input.comment ?? '';
    if (comment.length > 10_000 || comment.includes('\u0000') || hasLoneSurrogate(comment)) {
      throw invalidInput('calendar.invalidComment', 'The comment must be text of at most 10000 characters.');
    }
    const id = requireGraphId(input.eventId, 'calendar.invalidEventId', 'The event id');
    await this.scheduling.respond(caller, id, input.response, comment, input.sendResponse ?? true);
    return { status: 'responded', response: input.response };
  }
}
