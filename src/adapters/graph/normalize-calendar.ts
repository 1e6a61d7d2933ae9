import type { CalendarEvent, EventAttendee } from '../../domain/calendar.js';
import { wallTimeToIso } from '../../domain/time.js';
import { toEmailAddress } from './normalize-mail.js';
import { arr, bool, obj, plain, requireId, str } from './graph-values.js';
import type { Json } from './graph-values.js';

export const EVENT_SELECT = [
  'id',
  'subject',
  'start',
  'end',
  'isAllDay',
  'location',
  'organizer',
  'attendees',
  'isOnlineMeeting',
  'onlineMeeting',
  'showAs',
  'isCancelled',
  'bodyPreview',
  'webLink',
].join(',');

const ATTENDEE_TYPES = new Set(['required', 'optional', 'resource']);
const RESPONSES = new Set(['none', 'organizer', 'accepted', 'tentativelyAccepted', 'declined', 'notResponded']);

/** Graph's `{ dateTime, timeZone }` → ISO 8601 with offset. */
function dateTime(value: unknown, fallbackZone: string): { iso: string; zone: string } {
  const v = obj(value);
  const zone = str(v.timeZone) ?? fallbackZone;
  return { iso: wallTimeToIso(str(v.dateTime) ?? '', zone), zone };
}

function attendee(raw: unknown): EventAttendee | undefined {
  const a = obj(raw);
  const email = toEmailAddress(a);
  if (email === undefined) return undefined;
  const type = str(a.type) ?? 'required';
  const response = str(obj(a.status).response) ?? 'none';
  return {
    ...email,
    type: (ATTENDEE_TYPES.has(type) ? type : 'required') as EventAttendee['type'],
    response: (RESPONSES.has(response) ? response : 'none') as EventAttendee['response'],
  };
}

export function toCalendarEvent(raw: Json, requestedZone = 'UTC'): CalendarEvent {
  const start = dateTime(raw.start, requestedZone);
  const end = dateTime(raw.end, requestedZone);
  const event: CalendarEvent = {
    id: requireId(raw),
    subject: plain(raw.subject),
    start: start.iso,
    end: end.iso,
    timeZone: start.zone,
    isAllDay: bool(raw.isAllDay),
    attendees: arr(raw.attendees)
      .map(attendee)
      .filter((a): a is EventAttendee => a !== undefined),
    isOnlineMeeting: bool(raw.isOnlineMeeting),
    showAs: str(raw.showAs) ?? 'unknown',
    isCancelled: bool(raw.isCancelled),
    preview: plain(raw.bodyPreview),
  };
  const location = plain(obj(raw.location).displayName);
  if (location !== '') event.location = location;
  const organizer = toEmailAddress(raw.organizer);
  if (organizer !== undefined) event.organizer = organizer;
  const joinUrl = str(obj(raw.onlineMeeting).joinUrl);
  if (joinUrl !== undefined) event.onlineMeetingUrl = joinUrl;
  const webLink = str(raw.webLink);
  if (webLink !== undefined) event.webLink = webLink;
  return event;
}
