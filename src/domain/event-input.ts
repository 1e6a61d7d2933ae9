import { isValidEmailAddress } from './email-address.js';
import { invalidInput } from './errors.js';
import type { AttendeeInput, EventFields } from './scheduling.js';
import { hasControlChars, hasLoneSurrogate, utf8Length } from './text.js';
import { isValidTimeZone, parseIsoInstant } from './time.js';

/** Validation shared by the calendar use cases. */

export const MAX_ATTENDEES = 500;
const MAX_BODY_BYTES = 1_000_000;
const DAY_MS = 86_400_000;

/** An ISO instant with offset → canonical UTC ISO; throws `calendar.invalidDate` naming the field. */
export function utcInstant(value: unknown, field: string): string {
  const ms = typeof value === 'string' ? parseIsoInstant(value) : null;
  if (ms === null) throw invalidInput('calendar.invalidDate', `"${field}" must be an ISO 8601 instant with an offset, e.g. 2026-01-20T09:00:00Z.`);
  return new Date(ms).toISOString();
}

export function timeZoneOrUtc(value: unknown): string {
  if (value === undefined) return 'UTC';
  if (typeof value !== 'string' || !isValidTimeZone(value)) {
    throw invalidInput('calendar.invalidTimeZone', '"timeZone" must be an IANA time zone name such as Europe/Paris or America/New_York.');
  }
  return value;
}

function line(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || hasControlChars(value) || hasLoneSurrogate(value) || value.length > max) {
    throw invalidInput('calendar.invalidText', `"${field}" must be one line of at most ${max} characters.`);
  }
  return value;
}

export function parseAttendees(value: AttendeeInput[] | undefined): AttendeeInput[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > MAX_ATTENDEES) throw invalidInput('calendar.invalidAttendees', `attendees must be a list of at most ${MAX_ATTENDEES}.`);
  const seen = new Set<string>();
  const out: AttendeeInput[] = [];
  for (const a of value) {
    const address = typeof a?.address === 'string' ? a.address.trim() : '';
    if (!isValidEmailAddress(address)) throw invalidInput('calendar.invalidAttendees', 'Each attendee needs a valid email address like name@example.com.');
    if (seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    out.push({ address, type: a.type === 'optional' || a.type === 'resource' ? a.type : 'required' });
  }
  return out;
}

export interface EventInput {
  subject?: string;
  body?: string;
  start?: string;
  end?: string;
  isAllDay?: boolean;
  location?: string;
  attendees?: AttendeeInput[];
  isOnlineMeeting?: boolean;
}

/** Validates the given fields; `requireTimes` for creation. All-day events span whole UTC days. */
export function toEventFields(input: EventInput, requireTimes: boolean): EventFields {
  const fields: EventFields = {};
  if (input.subject !== undefined) fields.subject = line(input.subject, 'subject', 255);
  if (input.location !== undefined) fields.location = line(input.location, 'location', 255);
  if (input.body !== undefined) {
    if (typeof input.body !== 'string' || input.body.includes('\u0000') || utf8Length(input.body) > MAX_BODY_BYTES) {
      throw invalidInput('calendar.invalidBody', `The body must be text of at most ${MAX_BODY_BYTES} bytes.`);
    }
    fields.body = input.body;
  }
  if (requireTimes && (input.start === undefined || input.end === undefined)) {
    throw invalidInput('calendar.missingTimes', 'Give "start" and "end" for a new event.');
  }
  if ((input.start === undefined) !== (input.end === undefined)) {
    throw invalidInput('calendar.missingTimes', 'Change "start" and "end" together.');
  }
  if (input.start !== undefined && input.end !== undefined) {
    const start = utcInstant(input.start, 'start');
    const end = utcInstant(input.end, 'end');
    if (Date.parse(end) <= Date.parse(start)) throw invalidInput('calendar.invalidWindow', '"end" must be later than "start".');
    if (Date.parse(end) - Date.parse(start) > 14 * DAY_MS) throw invalidInput('calendar.invalidWindow', 'An event may last at most 14 days.');
    if (input.isAllDay === true && (Date.parse(start) % DAY_MS !== 0 || Date.parse(end) % DAY_MS !== 0)) {
      throw invalidInput('calendar.invalidAllDay', 'An all-day event starts and ends at midnight UTC, e.g. 2026-01-20T00:00:00Z to 2026-01-21T00:00:00Z.');
    }
    fields.start = start;
    fields.end = end;
  }
  if (input.isAllDay !== undefined) fields.isAllDay = input.isAllDay;
  const attendees = parseAttendees(input.attendees);
  if (attendees !== undefined) fields.attendees = attendees;
  if (input.isOnlineMeeting !== undefined) fields.isOnlineMeeting = input.isOnlineMeeting;
  return fields;
}
