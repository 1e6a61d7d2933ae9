import type { CalendarEvent, CalendarWindow } from '../domain/calendar.js';
import type { Identity } from '../domain/identity.js';
import type { Page } from '../domain/paging.js';

export interface CalendarGateway {
  /** Calendar view: occurrences (recurring events expanded) overlapping the window. */
  listEvents(caller: Identity, window: CalendarWindow, pageSize: number, cursor?: string): Promise<Page<CalendarEvent>>;
}
