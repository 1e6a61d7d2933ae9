import { Hono } from 'hono';
import { z } from 'zod';
import { escapeHtml, htmlToText } from '../content.js';
import type { SandboxContext, SandboxEnv } from '../context.js';
import { requireScope } from '../context.js';
import { badRequest } from '../graph-errors.js';
import { driveItemJson, eventJson, messageJson } from '../graph-json.js';
import { applySelect } from '../odata.js';
import type { DriveNode, StoredEvent, StoredMessage } from '../sandbox-tenant.js';
import { listItemJson, seedListItems } from '../sharepoint-lists.js';
import type { StoredListItem } from '../sharepoint-lists.js';
import type { RouteDeps } from './route-deps.js';
import { GRAPH_BODY_ERRORS, readJsonBody } from './json-body.js';

/** The Search API's wording for a body it cannot use. */
const SEARCH_BODY_ERRORS = { ...GRAPH_BODY_ERRORS, invalid: 'SearchRequest Invalid:' };

/**
 * Microsoft Search (`POST /search/query`) for message, event, driveItem and listItem, with the documented rules:
 * message and event each stand alone in a request, driveItem and listItem combine; size defaults to 25, at most 25
 * for message/event and 1000 for SharePoint and OneDrive types; only one searchRequest per call unless every request
 * targets driveItem. listItem is driveItem's super class: searched alone it returns files as list items too; searched
 * together, files come as driveItem and everything else as listItem.
 */
const ENTITY_TYPES = ['message', 'event', 'driveItem', 'listItem'] as const;
type EntityType = (typeof ENTITY_TYPES)[number];
const ODATA_TYPE: Record<EntityType, string> = {
  message: '#microsoft.graph.message',
  event: '#microsoft.graph.event',
  driveItem: '#microsoft.graph.driveItem',
  listItem: '#microsoft.graph.listItem',
};
const SHAREPOINT_TYPES: readonly EntityType[] = ['driveItem', 'listItem'];

const requestSchema = z.object({
  entityTypes: z.array(z.string()).min(1),
  query: z.object({ queryString: z.string() }),
  from: z.number().int().optional(),
  size: z.number().int().optional(),
  fields: z.array(z.string()).optional(),
});
const bodySchema = z.object({ requests: z.array(requestSchema).min(1) });

interface Candidate {
  type: EntityType;
  id: string;
  text: string;
  summarySource: string;
  resource: () => Record<string, unknown>;
}

/** KQL-lite: whitespace-separated terms (quotes and AND dropped), all must match, case-insensitively. */
function termsOf(queryString: string): string[] {
  return queryString
    .replace(/["()]/g, ' ')
    .split(/\s+/)
    .filter((t) => t !== '' && t !== 'AND')
    .map((t) => t.toLowerCase());
}

/** Graph-style hit summary: a window around the first match with `<c0>` highlights and `<ddd/>` elisions. */
export function summarize(source: string, terms: readonly string[]): string {
  const text = source.replace(/\s+/g, ' ').trim();
  const lower = text.toLowerCase();
  const first = Math.min(
    ...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0),
    Number.MAX_SAFE_INTEGER,
  );
  const start = first === Number.MAX_SAFE_INTEGER ? 0 : Math.max(0, first - 60);
  const window = text.slice(start, start + 200);
  const pattern = new RegExp(
    `(${terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`,
    'gi',
  );
  const highlighted = window
    .split(pattern)
    .map((part, i) => (i % 2 === 1 ? `<c0>${escapeHtml(part)}</c0>` : escapeHtml(part)))
    .join('');
  return `${start > 0 ? '<ddd/>' : ''}${highlighted}${start + 200 < text.length ? '<ddd/>' : ''}`;
}

export function searchRoutes(deps: RouteDeps): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  const lists = new Map<string, StoredListItem[]>();
  const listItemsOf = (tenantId: string): StoredListItem[] => {
    let items = lists.get(tenantId);
    if (!items) lists.set(tenantId, (items = seedListItems(deps.tenant.seed, tenantId, deps.now())));
    return items;
  };

  const candidates = (c: SandboxContext, types: readonly EntityType[]): Candidate[] => {
    const user = c.get('user');
    const type = types[0];
    if (type === 'message') {
      const mailbox = deps.tenant.mailbox(user.id);
      return mailbox.sorted.map((m: StoredMessage) => {
        const body = htmlToText(m.bodyHtml);
        const people = [m.from, ...m.to, ...m.cc].map((p) => `${p.name} ${p.address}`).join(' ');
        const resource = (): Record<string, unknown> => {
          const { body: _b, ...rest } = messageJson(m, mailbox, false, deps.webBase);
          return rest;
        };
        return {
          type: 'message' as const,
          id: m.id,
          text: `${m.subject} ${body} ${people}`.toLowerCase(),
          summarySource: `${m.subject} ${body}`,
          resource,
        };
      });
    }
    if (type === 'event') {
      // Events come newest first, like Graph's date sort.
      return [...deps.tenant.calendar(user.id).sorted].reverse().map((e: StoredEvent) => {
        const body = htmlToText(e.bodyHtml);
        const people = [e.organizer, ...e.attendees.map((a) => a.emailAddress)]
          .map((p) => `${p.name} ${p.address}`)
          .join(' ');
        return {
          type: 'event' as const,
          id: e.id,
          text: `${e.subject} ${body} ${e.location} ${people}`.toLowerCase(),
          summarySource: `${e.subject} ${body}`,
          resource: () => eventJson(e, { iana: 'UTC', label: 'UTC' }, deps.webBase),
        };
      });
    }
    // SharePoint and OneDrive types share one index; `types` says how files come back.
    const drive = deps.tenant.drive(user.id);
    const fileType: EntityType = types.includes('driveItem') ? 'driveItem' : 'listItem';
    const files: Candidate[] = [...drive.all]
      .filter((n: DriveNode) => n.parentId !== null)
      .map((n) => ({
        type: fileType,
        id: n.id,
        text: n.name.toLowerCase(),
        summarySource: n.name,
        resource: () => driveItemJson(n, drive, deps.webBase),
      }));
    if (!types.includes('listItem')) return files;
    const items: Candidate[] = listItemsOf(user.tenantId).map((item) => {
      const resource = listItemJson(item, user.tenantId, deps.webBase);
      return { type: 'listItem', id: String(resource.id), text: `${item.title} ${item.body} ${item.listName}`.toLowerCase(), summarySource: `${item.title} ${item.body}`, resource: () => resource };
    });
    return [...items, ...files];
  };

  app.post('/search/query', async (c) => {
    const { requests } = await readJsonBody(c, bodySchema, SEARCH_BODY_ERRORS);
    for (const r of requests) {
      for (const t of r.entityTypes) {
        if (!(ENTITY_TYPES as readonly string[]).includes(t))
          throw badRequest('BadRequest', `SearchRequest Invalid: entity type '${t}' is not supported.`);
      }
    }
    const onlyFiles = requests.every((r) => r.entityTypes.every((t) => t === 'driveItem'));
    if (requests.length > 1 && !onlyFiles)
      throw badRequest(
        'BadRequest',
        'SearchRequest Invalid: only one searchRequest is supported per call for these entity types.',
      );

    const value = requests.map((r) => {
      const types = [...new Set(r.entityTypes)] as EntityType[];
      if (types.length > 1 && !types.every((t) => SHAREPOINT_TYPES.includes(t)))
        throw badRequest(
          'BadRequest',
          `SearchRequest Invalid (entity types ${types.join(', ')} cannot be combined in one request).`,
        );
      const type = types[0] as EntityType;
      const from = r.from ?? 0;
      const size = r.size ?? 25;
      const maxSize = SHAREPOINT_TYPES.includes(type) ? 1000 : 25;
      if (from < 0) throw badRequest('BadRequest', 'SearchRequest Invalid: from must be zero or greater.');
      if (size < 0 || size > maxSize)
        throw badRequest(
          'BadRequest',
          `SearchRequest Invalid: size must be between 0 and ${maxSize} for ${type}.`,
        );
      if (r.query.queryString.trim() === '')
        throw badRequest('BadRequest', 'SearchRequest Invalid: the query string is empty.');
      if (type === 'message') requireScope(c, 'graph', 'Mail.Read');
      if (type === 'event') requireScope(c, 'graph', 'Calendars.Read');
      if (types.includes('driveItem')) requireScope(c, 'graph', 'Files.Read', 'Sites.Read');
      // List items live in SharePoint sites: Files.* is not enough.
      if (types.includes('listItem')) requireScope(c, 'graph', 'Sites.Read');

      const terms = termsOf(r.query.queryString);
      const matched = candidates(c, types).filter((x) => terms.every((t) => x.text.includes(t)));
      const hits = matched.slice(from, from + size).map((x, i) => ({
        hitId: x.id,
        rank: from + i + 1,
        summary: summarize(x.summarySource, terms),
        resource: { '@odata.type': ODATA_TYPE[x.type], ...applySelect(x.resource(), r.fields) },
      }));
      const container: Record<string, unknown> = {
        total: matched.length,
        moreResultsAvailable: from + size < matched.length,
      };
      if (hits.length > 0) container.hits = hits;
      return { searchTerms: terms, hitsContainers: [container] };
    });
    return c.json({
      '@odata.context': `${new URL(c.req.url).origin}/v1.0/$metadata#Collection(microsoft.graph.searchResponse)`,
      value,
    });
  });

  return app;
}
