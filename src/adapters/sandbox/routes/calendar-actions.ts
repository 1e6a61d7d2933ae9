import { Hono } from 'hono';
import { z } from 'zod';
import { wallTimeToIso } from '../../../domain/time.js';
import { textToHtml } from '../content.js';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { GraphError, badRequest, notFound } from '../graph-errors.js';
import { eventJson } from '../graph-json.js';
import { guidFrom } from '../ids.js';
import { applySelect, parseSelect } from '../odata.js';
import type { Calendar, EmailAddress, ResponseStatus, SandboxUser, StoredEvent } from '../sandbox-tenant.js';
import { resolveTimeZone, wallClock } from '../time-zones.js';
import { timeZoneOf } from './calendar.js';
import type { RouteDeps } from './route-deps.js';
import { odataContext } from './route-deps.js';
import { OUTLOOK_BODY_ERRORS, readJsonBody } from './json-body.js';

/** Calendars, events by id, create/update/cancel, responses, findMeetingTimes and getSchedule. */

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string() });
const attendeeSchema = z.object({
  type: z.enum(['required', 'optional', 'resource']).optional(),
  emailAddress: z.object({ address: z.string(), name: z.string().optional() }),
});
const eventSchema = z.object({
  subject: z.string().optional(),
  body: z.object({ contentType: z.string(), content: z.string() }).optional(),
  start: dateTimeTimeZone.optional(),
  end: dateTimeTimeZone.optional(),
  isAllDay: z.boolean().optional(),
  location: z.object({ displayName: z.string() }).optional(),
  attendees: z.array(attendeeSchema).optional(),
  isOnlineMeeting: z.boolean().optional(),
  onlineMeetingProvider: z.string().optional(),
});

const DAY = 86_400_000;
const AVAILABILITY_DIGIT: Record<string, string> = { free: '0', tentative: '1', busy: '2', oof: '3', workingElsewhere: '4' };

/** Graph's `{dateTime, timeZone}` (IANA or Windows zone names) → epoch ms. */
function toMs(value: z.infer<typeof dateTimeTimeZone>, field: string): number {
  const zone = resolveTimeZone(value.timeZone);
  const ms = zone === undefined ? Number.NaN : Date.parse(wallTimeToIso(value.dateTime, zone));
  if (Number.isNaN(ms)) throw badRequest('ErrorInvalidParameter', `The value of '${field}' is invalid.`);
  return ms;
}

const address = (u: SandboxUser): EmailAddress => ({ name: u.displayName, address: u.mail });

export function calendarActionsRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();
  const calendarOf = (c: SandboxContext): Calendar => deps.tenant.calendar(c.get('user').id);
  const eventOf = (c: SandboxContext): StoredEvent => {
    const e = calendarOf(c).get(c.req.param('id') ?? '');
    if (!e) throw notFound('exchange');
    return e;
  };
  const render = (c: SandboxContext, e: StoredEvent, status: 200 | 201 = 200): Response =>
    c.json(
      applySelect(
        { '@odata.context': odataContext(c.req.url, `users('${c.get('user').id}')/events/$entity`), ...eventJson(e, timeZoneOf(c), deps.webBase) },
        parseSelect(c.req.query('$select')),
      ),
      status,
    );
  const isOrganizer = (c: SandboxContext, e: StoredEvent): boolean => e.organizer.address.toLowerCase() === c.get('user').mail.toLowerCase();
  /** Every copy of a meeting: the organizer's event and each sandbox attendee's invitation. */
  const copiesOf = (organizerUserId: string, eventId: string): StoredEvent[] => {
    const out: StoredEvent[] = [];
    for (const u of deps.tenant.users) {
      for (const e of deps.tenant.calendar(u.id).sorted) {
        if ((u.id === organizerUserId && e.id === eventId) || (e.invitation?.organizerUserId === organizerUserId && e.invitation.eventId === eventId)) out.push(e);
      }
    }
    return out;
  };
  /** Sends invitations to sandbox attendees who have none yet, and drops those of removed attendees. */
  const syncInvitations = (organizer: SandboxUser, e: StoredEvent): void => {
    const invited = new Set(e.attendees.map((a) => a.emailAddress.address.toLowerCase()));
    for (const u of deps.tenant.users) {
      if (u.id === organizer.id || u.tenantId !== organizer.tenantId) continue;
      const calendar = deps.tenant.calendar(u.id);
      const copy = calendar.sorted.find((x) => x.invitation?.organizerUserId === organizer.id && x.invitation.eventId === e.id);
      if (copy && !invited.has(u.mail.toLowerCase())) calendar.remove(copy.id);
      else if (copy) {
        calendar.remove(copy.id);
        calendar.add({ ...e, id: copy.id, invitation: copy.invitation!, attendees: e.attendees });
      } else if (invited.has(u.mail.toLowerCase())) {
        calendar.add({ ...e, id: deps.tenant.nextRuntimeId('event'), invitation: { organizerUserId: organizer.id, eventId: e.id } });
      }
    }
  };
  const apply = (e: StoredEvent, body: z.infer<typeof eventSchema>): void => {
    if (body.subject !== undefined) e.subject = body.subject;
    if (body.body !== undefined) e.bodyHtml = body.body.contentType.toLowerCase() === 'html' ? body.body.content : textToHtml(body.body.content);
    if (body.start !== undefined) e.startMs = toMs(body.start, 'start');
    if (body.end !== undefined) e.endMs = toMs(body.end, 'end');
    if (e.endMs <= e.startMs) throw badRequest('ErrorInvalidRequest', 'The end time must be later than the start time.');
    if (body.isAllDay !== undefined) e.isAllDay = body.isAllDay;
    if (e.isAllDay && (e.startMs % DAY !== 0 || e.endMs % DAY !== 0))
      throw badRequest('ErrorInvalidRequest', 'Your request can\'t be completed. An all-day event must start and end at midnight.');
    if (body.location !== undefined) e.location = body.location.displayName;
    if (body.attendees !== undefined) {
      const old = new Map(e.attendees.map((a) => [a.emailAddress.address.toLowerCase(), a.response]));
      e.attendees = body.attendees.map((a) => ({
        type: a.type === 'optional' ? 'optional' : 'required',
        response: old.get(a.emailAddress.address.toLowerCase()) ?? 'none',
        emailAddress: { name: a.emailAddress.name ?? deps.tenant.userByAddress(a.emailAddress.address)?.displayName ?? a.emailAddress.address, address: a.emailAddress.address },
      }));
    }
    if (body.isOnlineMeeting !== undefined) {
      e.isOnlineMeeting = body.isOnlineMeeting;
      if (body.isOnlineMeeting && e.joinUrl === undefined) e.joinUrl = `https://teams.sandbox.example/l/meetup-join/${guidFrom(e.id)}`;
      if (!body.isOnlineMeeting) delete e.joinUrl;
    }
  };

  app.get('/me/calendars', (c) => {
    requireScope(c, 'exchange', 'Calendars.Read', 'Calendars.ReadBasic');
    const user = c.get('user');
    const select = parseSelect(c.req.query('$select'));
    const value = [
      { id: `${user.id}-calendar`, name: 'Calendar', isDefaultCalendar: true, canEdit: true, color: 'auto', owner: address(user) },
      { id: `${user.id}-birthdays`, name: 'Birthdays', isDefaultCalendar: false, canEdit: false, color: 'lightGreen', owner: address(user) },
    ].map((cal) => applySelect(cal, select));
    return c.json({ '@odata.context': odataContext(c.req.url, `users('${user.id}')/calendars`), value });
  });

  app.get('/me/events/:id', (c) => {
    requireScope(c, 'exchange', 'Calendars.Read', 'Calendars.ReadBasic');
    return render(c, eventOf(c));
  });

  const create = async (c: SandboxContext): Promise<Response> => {
    requireScope(c, 'exchange', 'Calendars.ReadWrite');
    const calendarId = c.req.param('calendarId');
    const user = c.get('user');
    if (calendarId !== undefined && calendarId !== `${user.id}-calendar`) {
      if (calendarId === `${user.id}-birthdays`) throw new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      throw notFound('exchange');
    }
    const body = await readJsonBody(c, eventSchema, OUTLOOK_BODY_ERRORS);
    if (!body.start || !body.end) throw badRequest('ErrorInvalidRequest', 'Your request can\'t be completed. The start and end time of the event are required.');
    const e: StoredEvent = {
      id: deps.tenant.nextRuntimeId('event'),
      subject: '',
      bodyHtml: '',
      startMs: 0,
      endMs: 1,
      isAllDay: false,
      location: '',
      organizer: address(user),
      attendees: [],
      isOnlineMeeting: false,
      showAs: 'busy',
      isCancelled: false,
      type: 'singleInstance',
    };
    apply(e, body);
    calendarOf(c).add(e);
    syncInvitations(user, e);
    return render(c, e, 201);
  };
  app.post('/me/events', create);
  app.post('/me/calendars/:calendarId/events', create);

  app.patch('/me/events/:id', async (c) => {
    requireScope(c, 'exchange', 'Calendars.ReadWrite');
    const e = eventOf(c);
    const body = await readJsonBody(c, eventSchema, OUTLOOK_BODY_ERRORS);
    if (!isOrganizer(c, e) && (body.start || body.end || body.attendees || body.subject !== undefined))
      throw new GraphError(403, 'ErrorAccessDenied', 'Only the organizer can change this meeting.');
    const calendar = calendarOf(c);
    calendar.remove(e.id);
    try {
      apply(e, body);
    } finally {
      calendar.add(e);
    }
    if (isOrganizer(c, e)) syncInvitations(c.get('user'), e);
    return render(c, e);
  });

  app.post('/me/events/:id/cancel', async (c) => {
    requireScope(c, 'exchange', 'Calendars.ReadWrite');
    const e = eventOf(c);
    await readJsonBody(c, z.object({ comment: z.string().optional() }), OUTLOOK_BODY_ERRORS);
    if (!isOrganizer(c, e)) throw badRequest('ErrorInvalidRequest', 'Your request can\'t be completed. You need to be an organizer to cancel a meeting.');
    for (const copy of copiesOf(c.get('user').id, e.id)) copy.isCancelled = true;
    return c.body(null, 202);
  });

  const respond = async (c: SandboxContext, response: ResponseStatus): Promise<Response> => {
    requireScope(c, 'exchange', 'Calendars.ReadWrite');
    const e = eventOf(c);
    await readJsonBody(c, z.object({ comment: z.string().optional(), sendResponse: z.boolean().optional() }), OUTLOOK_BODY_ERRORS);
    if (isOrganizer(c, e)) throw badRequest('ErrorInvalidRequest', 'Your request can\'t be completed. You can\'t respond to a meeting you organized.');
    if (e.isCancelled) throw badRequest('ErrorInvalidRequest', 'Your request can\'t be completed. The meeting was cancelled.');
    const me = c.get('user').mail.toLowerCase();
    const copies = e.invitation ? copiesOf(e.invitation.organizerUserId, e.invitation.eventId) : [e];
    for (const copy of copies) for (const a of copy.attendees) if (a.emailAddress.address.toLowerCase() === me) a.response = response;
    e.showAs = response === 'declined' ? 'free' : response === 'tentativelyAccepted' ? 'tentative' : 'busy';
    return c.body(null, 202);
  };
  app.post('/me/events/:id/accept', (c) => respond(c, 'accepted'));
  app.post('/me/events/:id/tentativelyAccept', (c) => respond(c, 'tentativelyAccepted'));
  app.post('/me/events/:id/decline', (c) => respond(c, 'declined'));

  /** Busy status of a sandbox user at an instant range; undefined for people outside the sandbox. */
  const busyItems = (mail: string, start: number, end: number): StoredEvent[] | undefined => {
    const u = deps.tenant.userByAddress(mail);
    if (!u) return undefined;
    return deps.tenant.calendar(u.id).sorted.filter((e) => !e.isCancelled && e.showAs !== 'free' && e.startMs < end && e.endMs > start);
  };
  const worst = (items: StoredEvent[]): string => {
    const order = ['free', 'workingElsewhere', 'tentative', 'busy', 'oof'];
    return items.reduce((w, e) => (order.indexOf(e.showAs) > order.indexOf(w) ? e.showAs : w), 'free');
  };

  app.post('/me/findMeetingTimes', async (c) => {
    requireScope(c, 'exchange', 'Calendars.Read', 'Calendars.ReadBasic');
    const body = await readJsonBody(
      c,
      z.object({
        attendees: z.array(attendeeSchema).default([]),
        timeConstraint: z.object({ activityDomain: z.string().optional(), timeSlots: z.array(z.object({ start: dateTimeTimeZone, end: dateTimeTimeZone })).min(1) }),
        meetingDuration: z.string().regex(/^PT(\d+H)?(\d+M)?$/),
        maxCandidates: z.number().int().min(1).max(100).optional(),
        isOrganizerOptional: z.boolean().optional(),
        returnSuggestionReasons: z.boolean().optional(),
      }),
      OUTLOOK_BODY_ERRORS,
    );
    const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(body.meetingDuration)!;
    const duration = (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60_000;
    if (duration <= 0) throw badRequest('ErrorInvalidParameter', 'The meeting duration is invalid.');
    const zone = timeZoneOf(c);
    const organizer = c.get('user');
    const suggestions: unknown[] = [];
    const max = body.maxCandidates ?? 20;
    for (const slot of body.timeConstraint.timeSlots) {
      const from = toMs(slot.start, 'start');
      const to = toMs(slot.end, 'end');
      // Working hours 08:00-17:00 UTC on weekdays, in 30-minute steps.
      for (let t = Math.ceil(from / 1_800_000) * 1_800_000; t + duration <= to && suggestions.length < max; t += 1_800_000) {
        const d = new Date(t);
        const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
        if (d.getUTCDay() === 0 || d.getUTCDay() === 6 || hour < 8 || hour + duration / 3_600_000 > 17) continue;
        if (worst(busyItems(organizer.mail, t, t + duration) ?? []) !== 'free') continue;
        const availability = body.attendees.map((a) => {
          const items = busyItems(a.emailAddress.address, t, t + duration);
          return { attendee: { type: a.type ?? 'required', emailAddress: a.emailAddress }, availability: items === undefined ? 'unknown' : worst(items) };
        });
        const required = availability.filter((a) => a.attendee.type === 'required');
        if (required.some((a) => a.availability !== 'free' && a.availability !== 'unknown')) continue;
        const known = availability.filter((a) => a.availability !== 'unknown').length;
        const confidence = availability.length === 0 ? 100 : Math.round((100 * (known + (availability.length - known) * 0.5)) / availability.length);
        suggestions.push({
          confidence,
          organizerAvailability: 'free',
          attendeeAvailability: availability,
          locations: [],
          suggestionReason: body.returnSuggestionReasons ? 'Suggested because it is one of the nearest times when all attendees are available.' : '',
          meetingTimeSlot: {
            start: { dateTime: wallClock(t, zone.iana), timeZone: zone.label },
            end: { dateTime: wallClock(t + duration, zone.iana), timeZone: zone.label },
          },
        });
      }
    }
    return c.json({
      '@odata.context': `${new URL(c.req.url).origin}/v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult`,
      emptySuggestionsReason: suggestions.length === 0 ? 'attendeesUnavailable' : '',
      meetingTimeSuggestions: suggestions,
    });
  });

  app.post('/me/calendar/getSchedule', async (c) => {
    requireScope(c, 'exchange', 'Calendars.Read', 'Calendars.ReadBasic');
    const body = await readJsonBody(
      c,
      z.object({ schedules: z.array(z.string()).min(1).max(100), startTime: dateTimeTimeZone, endTime: dateTimeTimeZone, availabilityViewInterval: z.number().int().min(5).max(1440).optional() }),
      OUTLOOK_BODY_ERRORS,
    );
    const start = toMs(body.startTime, 'startTime');
    const end = toMs(body.endTime, 'endTime');
    if (end <= start) throw badRequest('ErrorInvalidParameter', 'The end time must be later than the start time.');
    if (end - start > 62 * DAY) throw badRequest('ErrorInvalidParameter', 'The requested time duration is too long. The maximum is 62 days.');
    const interval = (body.availabilityViewInterval ?? 30) * 60_000;
    const zone = timeZoneOf(c);
    const value = body.schedules.map((scheduleId) => {
      const items = busyItems(scheduleId, start, end);
      if (items === undefined) {
        return { scheduleId, availabilityView: '', scheduleItems: [], error: { message: 'The user or mailbox was not found in this organization.', responseCode: 'ErrorMailRecipientNotFound' } };
      }
      let view = '';
      for (let t = start; t < end; t += interval) view += AVAILABILITY_DIGIT[worst(items.filter((e) => e.startMs < t + interval && e.endMs > t))] ?? '0';
      return {
        scheduleId,
        availabilityView: view,
        scheduleItems: items.map((e) => ({
          isPrivate: false,
          status: e.showAs,
          subject: e.subject,
          location: e.location,
          start: { dateTime: wallClock(e.startMs, zone.iana), timeZone: zone.label },
          end: { dateTime: wallClock(e.endMs, zone.iana), timeZone: zone.label },
        })),
        workingHours: { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'UTC' } },
      };
    });
    return c.json({ '@odata.context': `${new URL(c.req.url).origin}/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)`, value });
  });

  return app;
}
