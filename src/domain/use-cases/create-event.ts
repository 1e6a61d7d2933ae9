import type { CalendarEvent } from '../calendar.js';
import { timeZoneOrUtc, toEventFields, type EventInput } from '../event-input.js';
import { requireGraphId } from '../graph-id.js';
import type { Identity } from '../identity.js';
import type { SchedulingGateway } from '../../ports/scheduling-gateway.js';

export interface CreateEventInput extends EventInput {
  start: string;
  end: string;
  /** Default: the user's default calendar. */
  calendarId?: string;
  /** Zone of the returned times; stored times are instants either way. */
  timeZone?: string;
}

/** Creates an event; with attendees it is a meeting and Outlook sends the invitations. */
export class CreateEvent {
  constructor(private readonly scheduling: SchedulingGateway) {}

  execute(caller: Identity, input: CreateEventInput): Promise<CalendarEvent> {
    const { calendarId, timeZone, ...rest } = input;
    const fields = toEventFields(rest, true);
    if (fields.subject === undefined) fields.subject = '';
    const calendar = calendarId === undefined ? undefined : requireGraphId(calendarId, 'calendar.invalidCalendarId', 'The calendar id');
    return this.scheduling.createEvent(caller, calendar, fields, timeZoneOrUtc(timeZone));
  }
}
