import type { CalendarEvent } from '../calendar.js';
import { invalidInput } from '../errors.js';
import { timeZoneOrUtc, toEventFields, type EventInput } from '../event-input.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { SchedulingGateway } from '../../ports/scheduling-gateway.js';

export interface UpdateEventInput extends EventInput {
  eventId: string;
  timeZone?: string;
}

/** Changes the given fields of an event the user organizes; attendees given replace the list. */
export class UpdateEvent {
  constructor(private readonly scheduling: SchedulingGateway) {}

  execute(caller: Identity, input: UpdateEventInput): Promise<CalendarEvent> {
    const { eventId, timeZone, ...rest } = input;
    const id = requireGraphId(eventId, 'calendar.invalidEventId', 'The event id');
    const fields = toEventFields(rest, false);
    if (Object.keys(fields).length === 0) throw invalidInput('calendar.nothingToChange', 'Give at least one field to change.');
    return this.scheduling.updateEvent(caller, id, fields, timeZoneOrUtc(timeZone));
  }
}
