import type { CalendarEvent } from '../../domain/calendar.js';
import type { Identity } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { CalendarInfo, EventFields, EventResponse, MeetingTimeQuery, MeetingTimes, Schedule, ScheduleQuery } from '../../domain/scheduling.js';
import type { SchedulingGateway } from '../../ports/scheduling-gateway.js';
import { decodeNextLink, encodeNextLink } from './graph-cursor.js';
import type { GraphHttpClient, GraphRequest } from './graph-http-client.js';
import { segment } from './graph-path.js';
import { arr, listOf, obj } from './graph-values.js';
import { EVENT_SELECT, toCalendarEvent } from './normalize-calendar.js';
import { CALENDAR_SELECT, eventJson, toCalendarInfo, toMeetingTimes, toSchedule, utcDateTime } from './normalize-scheduling.js';

const CALENDARS_RESOURCE = /^\/me\/calendars$/;

export class HttpSchedulingGateway implements SchedulingGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  private call<T>(caller: Identity, req: Omit<GraphRequest, 'family'>): Promise<T> {
    return this.graph.request<T>(caller, { family: 'calendar', ...req });
  }

  private event(body: unknown, zone: string): CalendarEvent {
    return toCalendarEvent(obj(body), zone);
  }

  async listCalendars(caller: Identity, pageSize: number, cursor?: string): Promise<Page<CalendarInfo>> {
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, CALENDARS_RESOURCE) }
        : { path: '/me/calendars', query: { $top: pageSize, $select: CALENDAR_SELECT } };
    const body = await this.call<unknown>(caller, { operation: 'calendar.listCalendars', method: 'GET', idempotent: true, ...request });
    const { items, nextLink } = listOf(body);
    const page: Page<CalendarInfo> = { items: items.map(toCalendarInfo) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }

  async getEvent(caller: Identity, eventId: string, timeZone: string): Promise<CalendarEvent> {
    const body = await this.call<unknown>(caller, {
      operation: 'calendar.getEvent',
      method: 'GET',
      path: `/me/events/${segment(eventId)}`,
      query: { $select: EVENT_SELECT },
      headers: { prefer: `outlook.timezone="${timeZone}"` },
      idempotent: true,
    });
    return this.event(body, timeZone);
  }

  async createEvent(caller: Identity, calendarId: string | undefined, fields: EventFields, timeZone: string): Promise<CalendarEvent> {
    const body = await this.call<unknown>(caller, {
      operation: 'calendar.createEvent',
      method: 'POST',
      path: calendarId === undefined ? '/me/events' : `/me/calendars/${segment(calendarId)}/events`,
      body: eventJson(fields),
      headers: { prefer: `outlook.timezone="${timeZone}"` },
      idempotent: false,
    });
    return this.event(body, timeZone);
  }

  async updateEvent(caller: Identity, eventId: string, fields: EventFields, timeZone: string): Promise<CalendarEvent> {
    const body = await this.call<unknown>(caller, {
      operation: 'calendar.updateEvent',
      method: 'PATCH',
      path: `/me/events/${segment(eventId)}`,
      body: eventJson(fields),
      headers: { prefer: `outlook.timezone="${timeZone}"` },
      idempotent: true,
    });
    return this.event(body, timeZone);
  }

  async cancelEvent(caller: Identity, eventId: string, comment: string): Promise<void> {
    await this.call<void>(caller, { operation: 'calendar.cancelEvent', method: 'POST', path: `/me/events/${segment(eventId)}/cancel`, body: { comment }, idempotent: false, expect: 'none' });
  }

  async respond(caller: Identity, eventId: string, response: EventResponse, comment: string, sendResponse: boolean): Promise<void> {
    await this.call<void>(caller, {
      operation: `calendar.${response}`,
      method: 'POST',
      path: `/me/events/${segment(eventId)}/${response}`,
      body: { comment, sendResponse },
      // Responding twice with the same answer leaves the same state.
      idempotent: true,
      expect: 'none',
    });
  }

  async findMeetingTimes(caller: Identity, query: MeetingTimeQuery): Promise<MeetingTimes> {
    const body = await this.call<unknown>(caller, {
      operation: 'calendar.findMeetingTimes',
      method: 'POST',
      path: '/me/findMeetingTimes',
      body: {
        attendees: query.attendees.map((a) => ({ type: a.type ?? 'required', emailAddress: { address: a.address } })),
        timeConstraint: { activityDomain: 'work', timeSlots: [{ start: utcDateTime(query.windowStart), end: utcDateTime(query.windowEnd) }] },
        meetingDuration: `PT${query.durationMinutes}M`,
        maxCandidates: query.maxCandidates,
        isOrganizerOptional: false,
        returnSuggestionReasons: true,
      },
      headers: { prefer: 'outlook.timezone="UTC"' },
      idempotent: true,
    });
    return toMeetingTimes(obj(body));
  }

  async getSchedule(caller: Identity, query: ScheduleQuery): Promise<Schedule[]> {
    const body = await this.call<unknown>(caller, {
      operation: 'calendar.getSchedule',
      method: 'POST',
      path: '/me/calendar/getSchedule',
      body: { schedules: query.addresses, startTime: utcDateTime(query.start), endTime: utcDateTime(query.end), availabilityViewInterval: query.intervalMinutes },
      headers: { prefer: 'outlook.timezone="UTC"' },
      idempotent: true,
    });
    return arr(obj(body).value).map((s) => toSchedule(obj(s)));
  }
}
