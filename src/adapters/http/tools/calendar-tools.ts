import { z } from 'zod';
import { DEFAULT_LIST_EVENTS_LIMITS, type ListEvents } from '../../../domain/use-cases/list-events.js';
import { READ_ONLY, defineTool, type ToolDefinition } from './tool-definition.js';
import { calendarEvent, cursorInput, nextCursor, pageSizeInput } from './schemas.js';

export interface CalendarToolDeps {
  listEvents: ListEvents;
}

export function calendarTools(deps: CalendarToolDeps): ToolDefinition[] {
  return [
    defineTool({
      name: 'calendar_list_events',
      family: 'calendar',
      title: 'List calendar events',
      description:
        'Events (recurring ones expanded) overlapping a time window of at most 366 days, in start order. Times are returned in timeZone (default UTC). Page with nextCursor.',
      input: z.object({
        start: z.iso.datetime({ offset: true }).describe('Window start, ISO 8601 instant.'),
        end: z.iso.datetime({ offset: true }).describe('Window end, ISO 8601 instant, after start.'),
        timeZone: z.string().max(64).optional().describe('IANA time zone for returned times, e.g. "Europe/Paris". Default UTC.'),
        pageSize: pageSizeInput(DEFAULT_LIST_EVENTS_LIMITS.maxPageSize, DEFAULT_LIST_EVENTS_LIMITS.defaultPageSize),
        cursor: cursorInput,
      }),
      output: z.object({ events: z.array(calendarEvent), nextCursor }),
      annotations: READ_ONLY,
      run: async ({ caller }, input) => {
        const page = await deps.listEvents.execute(caller, input);
        return { events: page.items, nextCursor: page.nextCursor };
      },
    }),
  ];
}
