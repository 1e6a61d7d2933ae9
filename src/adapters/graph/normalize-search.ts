import type { SearchEntity, SearchHit } from '../../domain/search.js';
import { stripSearchHighlights } from '../../domain/text.js';
import { toEmailAddress } from './normalize-mail.js';
import { arr, isoDate, num, obj, plain, str } from './graph-values.js';
import type { Json } from './graph-values.js';

export interface SearchContainer {
  hits: SearchHit[];
  moreResultsAvailable: boolean;
}

function title(entity: SearchEntity, resource: Json): string {
  if (entity === 'driveItem') return plain(resource.name);
  return plain(resource.subject);
}

export function toSearchHit(entity: SearchEntity, raw: Json): SearchHit | undefined {
  const resource = obj(raw.resource);
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
    if (size !== undefined) hit.size = size;
  }
  const webUrl = str(resource.webUrl) ?? str(resource.webLink);
  if (webUrl !== undefined) hit.webUrl = webUrl;
  return hit;
}

/** `POST /search/query` response with one request → its first hits container. */
export function toSearchContainer(entity: SearchEntity, body: unknown): SearchContainer {
  const response = obj(arr(obj(body).value)[0]);
  const container = obj(arr(response.hitsContainers)[0]);
  const hits = arr(container.hits)
    .map((h) => toSearchHit(entity, obj(h)))
    .filter((h): h is SearchHit => h !== undefined);
  return { hits, moreResultsAvailable: container.moreResultsAvailable === true };
}
