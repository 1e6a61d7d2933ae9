import type { CalendarEvent, CalendarWindow } from '../../domain/calendar.js';
import type { Identity } from '../../domain/identity.js';
import { userKey } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { CalendarGateway } from '../../ports/calendar-gateway.js';
import { pageOf } from './in-memory-paging.js';

/** A calendar per user, in memory; events are stored with UTC instants. */
export class InMemoryCalendarGateway implements CalendarGateway {
  private readonly calendars = new Map<string, CalendarEvent[]>();

  add(owner: Pick<Identity, 'tenantId' | 'objectId'>, ...events: CalendarEvent[]): void {
    const key = userKey(owner);
    this.calendars.set(key, [...(this.calendars.get(key) ?? []), ...events]);
  }

  async listEvents(caller: Identity, window: CalendarWindow, pageSize: number, cursor?: string): Promise<Page<CalendarEvent>> {
    const events = this.calendars.get(userKey(caller)) ?? [];
    return pageOf(window, pageSize, cursor, (w) => {
      const start = Date.parse(w.start);
      const end = Date.parse(w.end);
      return events
        .filter((e) => Date.parse(e.start) < end && Date.parse(e.end) > start)
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
        .map((e) => (w.timeZone === undefined ? e : { ...e, timeZone: w.timeZone }));
    });
  }
}
