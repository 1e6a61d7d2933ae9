import type { CalendarEvent } from '../domain/calendar.js';
import type { Identity } from '../domain/identity.js';
import type { Page } from '../domain/paging.js';
import type { CalendarInfo, EventFields, EventResponse, MeetingTimeQuery, MeetingTimes, Schedule, ScheduleQuery } from '../domain/scheduling.js';

/** Organizing meetings in the user's calendars: events by id, changes, responses, availability. */
export interface SchedulingGateway {
  listCalendars(caller: Identity, pageSize: number, cursor?: string): Promise<Page<CalendarInfo>>;
  /** Times come back in `timeZone` (IANA; default UTC). */
  getEvent(caller: Identity, eventId: string, timeZone: string): Promise<CalendarEvent>;
  createEvent(caller: Identity, calendarId: string | undefined, fields: EventFields, timeZone: string): Promise<CalendarEvent>;
  updateEvent(caller: Identity, eventId: string, fields: EventFields, timeZone: string): Promise<CalendarEvent>;
  /** Organizer only: cancels and notifies attendees. */
  cancelEvent(caller: Identity, eventId: string, comment: string): Promise<void>;
  respond(caller: Identity, eventId: string, response: EventResponse, comment: string, sendResponse: boolean): Promise<void>;
  findMeetingTimes(caller: Identity, query: MeetingTimeQuery): Promise<MeetingTimes>;
  getSchedule(caller: Identity, query: ScheduleQuery): Promise<Schedule[]>;
}
