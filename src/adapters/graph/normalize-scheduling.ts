import type { Availability, CalendarInfo, EventFields, MeetingSuggestion, MeetingTimes, Schedule, ScheduleItem } from '../../domain/scheduling.js';
import { wallTimeToIso } from '../../domain/time.js';
import { toEmailAddress } from './normalize-mail.js';
import { arr, bool, num, obj, plain, requireId, str } from './graph-values.js';
import type { Json } from './graph-values.js';

export const CALENDAR_SELECT = 'id,name,isDefaultCalendar,canEdit,owner';

const AVAILABILITY = new Set(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']);

function availability(value: unknown): Availability {
  const s = str(value);
  return s !== undefined && AVAILABILITY.has(s) ? (s as Availability) : 'unknown';
}

export function toCalendarInfo(raw: Json): CalendarInfo {
  const info: CalendarInfo = { id: requireId(raw), name: plain(raw.name), isDefault: bool(raw.isDefaultCalendar), canEdit: bool(raw.canEdit) };
  const owner = toEmailAddress({ emailAddress: raw.owner });
  if (owner !== undefined) info.owner = owner;
  return info;
}

/** A UTC instant as Graph's dateTimeTimeZone. */
export function utcDateTime(iso: string): { dateTime: string; timeZone: 'UTC' } {
  return { dateTime: iso.replace(/(\.\d+)?Z$/, ''), timeZone: 'UTC' };
}

/** Event fields as Graph event properties; absent fields are left out so PATCH keeps them. */
export function eventJson(fields: EventFields): Json {
  const json: Json = {};
  if (fields.subject !== undefined) json.subject = fields.subject;
  if (fields.body !== undefined) json.body = { contentType: 'Text', content: fields.body };
  if (fields.start !== undefined) json.start = utcDateTime(fields.start);
  if (fields.end !== undefined) json.end = utcDateTime(fields.end);
  if (fields.isAllDay !== undefined) json.isAllDay = fields.isAllDay;
  if (fields.location !== undefined) json.location = { displayName: fields.location };
  if (fields.attendees !== undefined) json.attendees = fields.attendees.map((a) => ({ type: a.type ?? 'required', emailAddress: { address: a.address } }));
  if (fields.isOnlineMeeting !== undefined) {
    json.isOnlineMeeting = fields.isOnlineMeeting;
    if (fields.isOnlineMeeting) json.onlineMeetingProvider = 'teamsForBusiness';
  }
  return json;
}

function instant(value: unknown): string {
  const v = obj(value);
  return wallTimeToIso(str(v.dateTime) ?? '', str(v.timeZone) ?? 'UTC');
}

export function toMeetingTimes(raw: Json): MeetingTimes {
  const suggestions = arr(raw.meetingTimeSuggestions).map((s): MeetingSuggestion => {
    const o = obj(s);
    const slot = obj(o.meetingTimeSlot);
    const suggestion: MeetingSuggestion = {
      start: instant(slot.start),
      end: instant(slot.end),
      confidence: num(o.confidence) ?? 0,
      organizerAvailability: availability(o.organizerAvailability),
      attendees: arr(o.attendeeAvailability).map((a) => ({
        address: toEmailAddress(obj(a).attendee)?.address ?? '',
        availability: availability(obj(a).availability),
      })),
    };
    const reason = str(o.suggestionReason);
    if (reason !== undefined && reason !== '') suggestion.reason = plain(reason);
    return suggestion;
  });
  const result: MeetingTimes = { suggestions };
  const empty = str(raw.emptySuggestionsReason);
  if (suggestions.length === 0 && empty !== undefined && empty !== '') result.emptyReason = empty;
  return result;
}

export function toSchedule(raw: Json): Schedule {
  const schedule: Schedule = {
    address: str(raw.scheduleId) ?? '',
    availabilityView: str(raw.availabilityView) ?? '',
    items: arr(raw.scheduleItems).map((i): ScheduleItem => {
      const o = obj(i);
      const item: ScheduleItem = { status: availability(o.status), start: instant(o.start), end: instant(o.end) };
      const subject = str(o.subject);
      if (subject !== undefined && subject !== '') item.subject = plain(subject);
      return item;
    }),
  };
  const error = obj(raw.error);
  const message = str(error.message);
  if (message !== undefined) schedule.error = plain(message).slice(0, 300);
  return schedule;
}
