export type SearchEntity = 'message' | 'event' | 'driveItem';

export interface SearchHit {
  entity: SearchEntity;
  id: string;
  title: string;
  /** Plain-text snippet with highlight markup removed. */
  summary: string;
  rank: number;
  /** Extra fields by entity: sender and date for mail, start for events, path and size for files. */
  from?: string;
  date?: string;
  webUrl?: string;
  size?: number;
}

export interface SearchQuery {
  query: string;
  entities: SearchEntity[];
}
