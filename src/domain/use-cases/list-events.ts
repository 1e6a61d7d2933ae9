import type { CalendarEvent, CalendarWindow } from '../calendar.js';
import { invalidInput } from '../errors.js';
import type { Identity } from '../identity.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import { isValidTimeZone, parseIsoInstant } from '../time.js';
import type { CalendarGateway } from '../../ports/calendar-gateway.js';

export interface ListEventsInput extends PageRequest {
  start: string;
  end: string;
  timeZone?: string;
}

export interface ListEventsLimits {
  defaultPageSize: number;
  maxPageSize: number;
  maxWindowDays: number;
}

export const DEFAULT_LIST_EVENTS_LIMITS: ListEventsLimits = { defaultPageSize: 50, maxPageSize: 100, maxWindowDays: 366 };

const DAY_MS = 86_400_000;

/** Lists event occurrences overlapping a bounded window (recurrences expanded). */
export class ListEvents {
  private readonly limits: ListEventsLimits;

  constructor(
    private readonly calendar: CalendarGateway,
    limits: Partial<ListEventsLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIST_EVENTS_LIMITS, ...limits };
  }

  async execute(caller: Identity, input: ListEventsInput): Promise<Page<CalendarEvent>> {
    const pageSize = clampPageSize(input.pageSize, this.limits.defaultPageSize, this.limits.maxPageSize);
    const cursor = validateCursor(input.cursor);
    return this.calendar.listEvents(caller, this.window(input), pageSize, cursor);
  }

  private window(input: ListEventsInput): CalendarWindow {
    const start = instant(input.start, 'start');
    const end = instant(input.end, 'end');
    if (end <= start) throw invalidInput('calendar.invalidWindow', '"end" must be later than "start".');
    if (end - start > this.limits.maxWindowDays * DAY_MS) {
      throw invalidInput(
        'calendar.invalidWindow',
        `The window may span at most ${this.limits.maxWindowDays} days; ask for a shorter range and page through it.`,
      );
    }
    const window: CalendarWindow = { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
    if (input.timeZone !== undefined) {
      if (typeof input.timeZone !== 'string' || !isValidTimeZone(input.timeZone)) {
        throw invalidInput('calendar.invalidTimeZone', '"timeZone" must be an IANA time zone name such as Europe/Paris or America/New_York.');
      }
      window.timeZone = input.timeZone;
    }
    return window;
  }
}

function instant(value: unknown, field: string): number {
  const ms = typeof value === 'string' ? parseIsoInstant(value) : null;
  if (ms === null) {
    throw invalidInput('calendar.invalidDate', `"${field}" must be an ISO 8601 instant with an offset, e.g. 2024-05-01T00:00:00Z.`);
  }
  return ms;
}
