import type { CalendarEvent } from '../calendar.js';
import { timeZoneOrUtc } from '../event-input.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { SchedulingGateway } from '../../ports/scheduling-gateway.js';

export interface GetEventInput {
  eventId: string;
  timeZone?: string;
}

/** Reads one event with its attendees and their responses. */
export class GetEvent {
  constructor(private readonly scheduling: SchedulingGateway) {}

  execute(caller: Identity, input: GetEventInput): Promise<CalendarEvent> {
    return this.scheduling.getEvent(caller, requireGraphId(input.eventId, 'calendar.invalidEventId', 'The event id'), timeZoneOrUtc(input.timeZone));
  }
}
