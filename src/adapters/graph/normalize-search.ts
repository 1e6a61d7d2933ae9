import type { SearchEntity, SearchHit } from '../../domain/search.js';
import { stripSearchHighlights } from '../../domain/text.js';
import { toEmailAddress } from './normalize-mail.js';
import { arr, isoDate, num, obj, plain, str } from './graph-values.js';
import type { Json } from './graph-values.js';

export interface SearchContainer {
  hits: SearchHit[];
  moreResultsAvailable: boolean;
}

const ODATA_ENTITY: Readonly<Record<string, SearchEntity>> = {
  '#microsoft.graph.message': 'message',
  '#microsoft.graph.event': 'event',
  '#microsoft.graph.driveItem': 'driveItem',
  '#microsoft.graph.listItem': 'listItem',
};

function title(entity: SearchEntity, resource: Json): string {
  if (entity === 'driveItem') return plain(resource.name);
  if (entity === 'listItem') return plain(resource.name ?? obj(resource.fields).title);
  return plain(resource.subject);
}

/** A hit of a request for `requested`: its resource's @odata.type says which of them it is. */
export function toSearchHit(requested: readonly SearchEntity[], raw: Json): SearchHit | undefined {
  const resource = obj(raw.resource);
  const typed = ODATA_ENTITY[str(resource['@odata.type']) ?? ''];
  const entity = typed !== undefined && requested.includes(typed) ? typed : requested[0];
  if (entity === undefined) return undefined;
  const id = str(resource.id) ?? str(raw.hitId);
  if (id === undefined || id === '') return undefined;
  const hit: SearchHit = {
    entity,
    id,
    title: title(entity, resource),
    summary: stripSearchHighlights(str(raw.summary) ?? ''),
    rank: num(raw.rank) ?? 0,
  };
  if (entity === 'message') {
    const from = toEmailAddress(resource.from) ?? toEmailAddress(resource.sender);
    if (from !== undefined) hit.from = from.name === undefined ? from.address : `${from.name} <${from.address}>`;
    const date = isoDate(resource.receivedDateTime) ?? isoDate(resource.sentDateTime);
    if (date !== undefined) hit.date = date;
  } else if (entity === 'event') {
    const start = obj(resource.start);
    const date = str(start.dateTime);
    if (date !== undefined) hit.date = str(start.timeZone)?.toUpperCase() === 'UTC' ? (isoDate(`${date.replace(/Z$/, '')}Z`) ?? date) : date;
  } else {
    const date = isoDate(resource.lastModifiedDateTime);
    if (date !== undefined) hit.date = date;
    const size = num(resource.size);
    if (size !== undefined && entity === 'driveItem') hit.size = size;
  }
  const webUrl = str(resource.webUrl) ?? str(resource.webLink);
  if (webUrl !== undefined) hit.webUrl = webUrl;
  return hit;
}

/** `POST /search/query` response with one request → its first hits container. */
export function toSearchContainer(requested: readonly SearchEntity[], body: unknown): SearchContainer {
  const response = obj(arr(obj(body).value)[0]);
  const container = obj(arr(response.hitsContainers)[0]);
  const hits = arr(container.hits)
    .map((h) => toSearchHit(requested, obj(h)))
    .filter((h): h is SearchHit => h !== undefined);
  return { hits, moreResultsAvailable: container.moreResultsAvailable === true };
}
