import { isValidEmailAddress } from '../email-address.js';
import { invalidInput } from '../errors.js';
import { utcInstant } from '../event-input.js';
import type { Identity } from '../identity.js';
import type { Schedule } from '../scheduling.js';
import type { SchedulingGateway } from '../../ports/scheduling-gateway.js';

export interface GetScheduleInput {
  addresses: string[];
  start: string;
  end: string;
  intervalMinutes?: number;
}

/** getSchedule takes at most 20 schedules and a 62-day window; the interval is 5 to 1440 minutes. */
export const GET_SCHEDULE_LIMITS = { maxAddresses: 20, maxWindowDays: 62, defaultInterval: 30 } as const;

/** Free/busy of people (and rooms) over a window: busy blocks and a compact availability string. */
export class GetSchedule {
  constructor(private readonly scheduling: SchedulingGateway) {}

  execute(caller: Identity, input: GetScheduleInput): Promise<Schedule[]> {
    const addresses = [...new Set((input.addresses ?? []).map((a) => (typeof a === 'string' ? a.trim() : '')))];
    if (addresses.length === 0 || addresses.length > GET_SCHEDULE_LIMITS.maxAddresses || !addresses.every(isValidEmailAddress)) {
      throw invalidInput('calendar.invalidAddresses', `Give 1 to ${GET_SCHEDULE_LIMITS.maxAddresses} valid email addresses.`);
    }
    const start = utcInstant(input.start, 'start');
    const end = utcInstant(input.end, 'end');
    const span = Date.parse(end) - Date.parse(start);
    if (span <= 0 || span > GET_SCHEDULE_LIMITS.maxWindowDays * 86_400_000) {
      throw invalidInput('calendar.invalidWindow', `"end" must be after "start", at most ${GET_SCHEDULE_LIMITS.maxWindowDays} days later.`);
    }
    const interval = input.intervalMinutes ?? GET_SCHEDULE_LIMITS.defaultInterval;
    if (!Number.isInteger(interval) || interval < 5 || interval > 1440) throw invalidInput('calendar.invalidInterval', 'intervalMinutes must be 5 to 1440.');
    return this.scheduling.getSchedule(caller, { addresses, start, end, intervalMinutes: interval });
  }
}
