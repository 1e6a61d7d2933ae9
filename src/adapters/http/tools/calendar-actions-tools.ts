import { z } from 'zod';
import type { CalendarEvent } from '../../../domain/calendar.js';
import type { CancelEvent } from '../../../domain/use-cases/cancel-event.js';
import type { CreateEvent } from '../../../domain/use-cases/create-event.js';
import { FIND_MEETING_TIMES_LIMITS, type FindMeetingTimes } from '../../../domain/use-cases/find-meeting-times.js';
import type { GetEvent } from '../../../domain/use-cases/get-event.js';
import { GET_SCHEDULE_LIMITS, type GetSchedule } from '../../../domain/use-cases/get-schedule.js';
import { LIST_CALENDARS_LIMITS, type ListCalendars } from '../../../domain/use-cases/list-calendars.js';
import type { RespondToEvent } from '../../../domain/use-cases/respond-to-event.js';
import type { UpdateEvent } from '../../../domain/use-cases/update-event.js';
import { CREATES, DESTROYS, READ_ONLY, UPDATES, defineTool, type ToolDefinition } from './tool-definition.js';
import { calendarEvent, cursorInput, emailAddress, idempotencyKeyInput, nextCursor, pageSizeInput } from './schemas.js';

export interface CalendarActionToolDeps {
  listCalendars: ListCalendars;
  getEvent: GetEvent;
  createEvent: CreateEvent;
  updateEvent: UpdateEvent;
  cancelEvent: CancelEvent;
  respondToEvent: RespondToEvent;
  findMeetingTimes: FindMeetingTimes;
  getSchedule: GetSchedule;
}

const instant = (what: string) => z.iso.datetime({ offset: true }).describe(`${what}, ISO 8601 instant.`);
const eventId = z.string().min(1).max(512).describe('Event id from calendar_list_events.');
const timeZone = z.string().max(64).optional().describe('IANA zone for returned times; default UTC.');
const attendees = z
  .array(z.object({ address: z.email().max(320), type: z.enum(['required', 'optional', 'resource']).optional().describe('Default required.') }))
  .max(500);
const availability = z.enum(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']);
const eventFields = {
  subject: z.string().max(255).optional(),
  body: z.string().max(1_000_000).optional().describe('Plain text.'),
  isAllDay: z.boolean().optional().describe('Then start and end are midnights UTC.'),
  location: z.string().max(255).optional(),
  attendees: attendees.optional().describe('Invitations go out on save; a list given replaces the old one.'),
  isOnlineMeeting: z.boolean().optional().describe('Add a Teams meeting link.'),
  timeZone,
};
const eventRef = calendarEvent.pick({ id: true, subject: true, start: true, end: true, timeZone: true, isOnlineMeeting: true, onlineMeetingUrl: true, webLink: true });
const ref = (e: CalendarEvent): z.input<typeof eventRef> => ({
  id: e.id,
  subject: e.subject,
  start: e.start,
  end: e.end,
  timeZone: e.timeZone,
  isOnlineMeeting: e.isOnlineMeeting,
  onlineMeetingUrl: e.onlineMeetingUrl,
  webLink: e.webLink,
});

export function calendarActionTools(deps: CalendarActionToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'calendar_list_calendars',
      family: 'calendar',
      title: 'List calendars',
      description: 'The user\'s calendars; pass an id to calendar_create_event to use one other than the default.',
      input: z.object({ pageSize: pageSizeInput(LIST_CALENDARS_LIMITS.maxPageSize, LIST_CALENDARS_LIMITS.defaultPageSize), cursor: cursorInput }),
      output: z.object({
        calendars: z.array(z.object({ id: z.string(), name: z.string(), isDefault: z.boolean(), canEdit: z.boolean(), owner: emailAddress.optional() })),
        nextCursor,
      }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.listCalendars.execute(caller, input);
        return { calendars: page.items, nextCursor: page.nextCursor };
      },
    }),
    defineTool({
      name: 'calendar_get_event',
      family: 'calendar',
      title: 'Get an event',
      description: 'One event by id with attendees and their responses, in timeZone (default UTC).',
      input: z.object({ eventId, timeZone }),
      output: calendarEvent,
      annotations: READ_ONLY,
      run: ({ caller }, input) => deps.getEvent.execute(caller, input),
    }),
    defineTool({
      name: 'calendar_create_event',
      family: 'calendar',
      title: 'Create an event',
      description: 'Create an event in the default calendar (or calendarId); with attendees it is a meeting and invitations are sent. Find a slot first with calendar_find_meeting_times.',
      input: z.object({
        start: instant('Start'),
        end: instant('End, after start, at most 14 days later'),
        ...eventFields,
        calendarId: z.string().min(1).max(512).optional(),
        idempotency_key: idempotencyKeyInput,
      }),
      output: eventRef,
      annotations: CREATES,
      run: async ({ caller }, { idempotency_key: _key, ...input }) => ref(await deps.createEvent.execute(caller, input)),
    }),
    defineTool({
      name: 'calendar_update_event',
      family: 'calendar',
      title: 'Update an event',
      description: 'Change the given fields of an event you organize (start and end together); attendees are notified of the change.',
      input: z.object({ eventId, start: instant('New start').optional(), end: instant('New end').optional(), ...eventFields }),
      output: eventRef,
      annotations: UPDATES,
      run: async ({ caller }, input) => ref(await deps.updateEvent.execute(caller, input)),
    }),
    defineTool({
      name: 'calendar_cancel_event',
      family: 'calendar',
      title: 'Cancel a meeting',
      description: 'Cancel a meeting you organize and notify attendees with an optional comment. For an invitation you received, use calendar_respond with decline.',
      input: z.object({ eventId, comment: z.string().max(10_000).optional() }),
      output: z.object({ status: z.literal('cancelled') }),
      annotations: DESTROYS,
      run: ({ caller }, input) => deps.cancelEvent.execute(caller, input),
    }),
    defineTool({
      name: 'calendar_respond',
      family: 'calendar',
      title: 'Respond to an invitation',
      description: 'Accept, tentatively accept or decline a meeting invitation, optionally with a comment to the organizer.',
      input: z.object({
        eventId,
        response: z.enum(['accept', 'tentativelyAccept', 'decline']),
        comment: z.string().max(10_000).optional(),
        sendResponse: z.boolean().optional().describe('Default true: notify the organizer.'),
      }),
      output: z.object({ status: z.literal('responded'), response: z.enum(['accept', 'tentativelyAccept', 'decline']) }),
      annotations: UPDATES,
      run: ({ caller }, input) => deps.respondToEvent.execute(caller, input),
    }),
    defineTool({
      name: 'calendar_find_meeting_times',
      family: 'calendar',
      title: 'Find meeting times',
      description: `Suggest slots in working hours when you and the attendees are free (up to ${FIND_MEETING_TIMES_LIMITS.maxAttendees} attendees, window up to ${FIND_MEETING_TIMES_LIMITS.maxWindowDays} days). Times in UTC. Then calendar_create_event.`,
      input: z.object({
        attendees: attendees.min(1).max(FIND_MEETING_TIMES_LIMITS.maxAttendees),
        windowStart: instant('Earliest start'),
        windowEnd: instant('Latest end'),
        durationMinutes: z.number().int().min(5).max(1440),
        maxCandidates: z.number().int().min(1).max(FIND_MEETING_TIMES_LIMITS.maxCandidates).optional().describe(`Default ${FIND_MEETING_TIMES_LIMITS.defaultCandidates}.`),
      }),
      output: z.object({
        suggestions: z.array(
          z.object({
            start: z.string(),
            end: z.string(),
            confidence: z.number(),
            organizerAvailability: availability,
            attendees: z.array(z.object({ address: z.string(), availability })),
            reason: z.string().optional(),
          }),
        ),
        emptyReason: z.string().optional(),
      }),
      annotations: READ_ONLY,
      run: ({ caller }, input) => deps.findMeetingTimes.execute(caller, input),
    }),
    defineTool({
      name: 'calendar_get_schedule',
      family: 'calendar',
      title: 'Get free/busy',
      description: `Free/busy of up to ${GET_SCHEDULE_LIMITS.maxAddresses} people or rooms over at most ${GET_SCHEDULE_LIMITS.maxWindowDays} days: busy blocks and availabilityView (one digit per interval: 0 free, 1 tentative, 2 busy, 3 away, 4 elsewhere). Times in UTC.`,
      input: z.object({
        addresses: z.array(z.email().max(320)).min(1).max(GET_SCHEDULE_LIMITS.maxAddresses),
        start: instant('Start'),
        end: instant('End'),
        intervalMinutes: z.number().int().min(5).max(1440).optional().describe(`Default ${GET_SCHEDULE_LIMITS.defaultInterval}.`),
      }),
      output: z.object({
        schedules: z.array(
          z.object({
            address: z.string(),
            availabilityView: z.string(),
            items: z.array(z.object({ status: availability, start: z.string(), end: z.string(), subject: z.string().optional() })),
            error: z.string().optional(),
          }),
        ),
      }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => ({ schedules: await deps.getSchedule.execute(caller, input) }),
    }),
  ];
}
