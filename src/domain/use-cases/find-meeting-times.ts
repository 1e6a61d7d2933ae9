import { invalidInput } from '../errors.js';
import { parseAttendees, utcInstant } from '../event-input.js';
import type { Identity } from '../identity.js';
import type { AttendeeInput, MeetingTimes } from '../scheduling.js';
import type { SchedulingGateway } from '../../ports/scheduling-gateway.js';

export interface FindMeetingTimesInput {
  attendees: AttendeeInput[];
  windowStart: string;
  windowEnd: string;
  durationMinutes: number;
  maxCandidates?: number;
}

export const FIND_MEETING_TIMES_LIMITS = { maxAttendees: 20, maxWindowDays: 62, maxCandidates: 20, defaultCandidates: 5 } as const;

/** Suggests times when the attendees (and the user) are free, within working hours. */
export class FindMeetingTimes {
  constructor(private readonly scheduling: SchedulingGateway) {}

  execute(caller: Identity, input: FindMeetingTimesInput): Promise<MeetingTimes> {
    const attendees = parseAttendees(input.attendees) ?? [];
    if (attendees.length === 0 || attendees.length > FIND_MEETING_TIMES_LIMITS.maxAttendees) {
      throw invalidInput('calendar.invalidAttendees', `Give 1 to ${FIND_MEETING_TIMES_LIMITS.maxAttendees} attendees.`);
    }
    const windowStart = utcInstant(input.windowStart, 'windowStart');
    const windowEnd = utcInstant(input.windowEnd, 'windowEnd');
    const span = Date.parse(windowEnd) - Date.parse(windowStart);
    if (span <= 0 || span > FIND_MEETING_TIMES_LIMITS.maxWindowDays * 86_400_000) {
      throw invalidInput('calendar.invalidWindow', `The window must end after it starts and span at most ${FIND_MEETING_TIMES_LIMITS.maxWindowDays} days.`);
    }
    const duration = input.durationMinutes;
    if (!Number.isInteger(duration) || duration < 5 || duration > 1440 || duration * 60_000 > span) {
      throw invalidInput('calendar.invalidDuration', 'durationMinutes must be 5 to 1440 and fit in the window.');
    }
    return this.scheduling.findMeetingTimes(caller, {
      attendees,
      windowStart,
      windowEnd,
      durationMinutes: duration,
      maxCandidates: Math.min(input.maxCandidates ?? FIND_MEETING_TIMES_LIMITS.defaultCandidates, FIND_MEETING_TIMES_LIMITS.maxCandidates),
    });
  }
}
