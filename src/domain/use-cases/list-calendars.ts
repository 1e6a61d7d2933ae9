import type { Identity } from '../identity.js';
import { clampPageSize, validateCursor } from '../paging.js';
import type { Page, PageRequest } from '../paging.js';
import type { CalendarInfo } from '../scheduling.js';
import type { SchedulingGateway } from '../../ports/scheduling-gateway.js';

export const LIST_CALENDARS_LIMITS = { defaultPageSize: 50, maxPageSize: 100 } as const;

/** Lists the user's calendars (the default one first in Outlook's order). */
export class ListCalendars {
  constructor(private readonly scheduling: SchedulingGateway) {}

  execute(caller: Identity, input: PageRequest): Promise<Page<CalendarInfo>> {
    const pageSize = clampPageSize(input.pageSize, LIST_CALENDARS_LIMITS.defaultPageSize, LIST_CALENDARS_LIMITS.maxPageSize);
    return this.scheduling.listCalendars(caller, pageSize, validateCursor(input.cursor));
  }
}
