import { guidFrom } from './ids.js';
import { isoSeconds } from './odata.js';
import { createPrng, hashToUint32 } from './prng.js';

/** SharePoint lists of a tenant's team site (what Microsoft Search returns as `listItem`), seeded on first use. */

export interface StoredListItem {
  id: string;
  listName: string;
  title: string;
  body: string;
  createdMs: number;
  modifiedMs: number;
}

const DAY = 86_400_000;
const LISTS: ReadonlyArray<{ name: string; titles: readonly string[]; notes: readonly string[] }> = [
  {
    name: 'Issue tracker',
    titles: ['Printer on floor 3 jams', 'VPN drops every hour', 'Projector in Room 12 flickers', 'Budget sheet locked for editing', 'Badge reader at the west door'],
    notes: ['Reported by facilities.', 'Waiting for the vendor.', 'Workaround: restart the device.', 'Affects the budget review meeting.'],
  },
  {
    name: 'Travel requests',
    titles: ['Trip to Seattle for the launch', 'Customer visit in Paris', 'Conference in Berlin', 'Offsite in Lisbon'],
    notes: ['Flights and two nights of hotel.', 'Budget approved by the manager.', 'Train preferred over flights.'],
  },
  {
    name: 'Announcements',
    titles: ['New expense policy', 'Office closed on Friday', 'Welcome our new team members', 'Q1 budget kickoff'],
    notes: ['Read before submitting receipts.', 'Plan your week accordingly.', 'Join the all-hands on Monday.'],
  },
];
export const SHAREPOINT_ITEMS_PER_LIST = 30;

export function seedListItems(seed: number, tenantId: string, baseMs: number): StoredListItem[] {
  const prng = createPrng(hashToUint32(seed, 'sharepoint', tenantId));
  return LISTS.flatMap((list) =>
    Array.from({ length: SHAREPOINT_ITEMS_PER_LIST }, (_, i): StoredListItem => {
      const createdMs = baseMs - prng.int(2, 120) * DAY;
      return {
        id: String(i + 1),
        listName: list.name,
        title: `${prng.pick(list.titles)} (#${i + 1})`,
        body: prng.pick(list.notes),
        createdMs,
        modifiedMs: createdMs + prng.int(0, 2) * DAY,
      };
    }),
  );
}

/** The search resource of a list item, as Microsoft Search renders it. */
export function listItemJson(item: StoredListItem, tenantId: string, webBase: string): Record<string, unknown> {
  const site = `${new URL(webBase).host},${guidFrom(tenantId, 'site')},${guidFrom(tenantId, 'web')}`;
  return {
    id: `${guidFrom(tenantId, 'list', item.listName)}-${item.id}`,
    name: item.title,
    createdDateTime: isoSeconds(item.createdMs),
    lastModifiedDateTime: isoSeconds(item.modifiedMs),
    webUrl: `${webBase}/sites/team/Lists/${encodeURIComponent(item.listName)}/DispForm.aspx?ID=${item.id}`,
    parentReference: { siteId: site },
    sharepointIds: { listId: guidFrom(tenantId, 'list', item.listName), listItemId: item.id },
  };
}
