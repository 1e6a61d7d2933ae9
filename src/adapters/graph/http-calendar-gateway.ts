import type { CalendarEvent, CalendarWindow } from '../../domain/calendar.js';
import type { Identity } from '../../domain/identity.js';
import type { Page } from '../../domain/paging.js';
import type { CalendarGateway } from '../../ports/calendar-gateway.js';
import { decodeNextLink, encodeNextLink } from './graph-cursor.js';
import type { GraphHttpClient } from './graph-http-client.js';
import { listOf } from './graph-values.js';
import { EVENT_SELECT, toCalendarEvent } from './normalize-calendar.js';

const VIEW_RESOURCE = /^\/me\/calendarView$/;

export class HttpCalendarGateway implements CalendarGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  async listEvents(caller: Identity, window: CalendarWindow, pageSize: number, cursor?: string): Promise<Page<CalendarEvent>> {
    const zone = window.timeZone ?? 'UTC';
    const request =
      cursor !== undefined
        ? { path: decodeNextLink(cursor, this.graph.baseUrl, VIEW_RESOURCE) }
        : {
            path: '/me/calendarView',
            query: { startDateTime: window.start, endDateTime: window.end, $top: pageSize, $select: EVENT_SELECT, $orderby: 'start/dateTime' },
          };
    const body = await this.graph.request<unknown>(caller, {
      family: 'calendar',
      operation: 'calendar.listEvents',
      method: 'GET',
      // Not part of the nextLink: sent on every page so all pages use the same zone.
      headers: { prefer: `outlook.timezone="${zone}"` },
      idempotent: true,
      ...request,
    });
    const { items, nextLink } = listOf(body);
    const page: Page<CalendarEvent> = { items: items.map((raw) => toCalendarEvent(raw, zone)) };
    if (nextLink !== undefined) page.nextCursor = encodeNextLink(nextLink, this.graph.baseUrl);
    return page;
  }
}
