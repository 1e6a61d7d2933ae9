/** Mail, calendar events, OneDrive/SharePoint files, and SharePoint list items. */
export type SearchEntity = 'message' | 'event' | 'driveItem' | 'listItem';

export interface SearchHit {
  entity: SearchEntity;
  id: string;
  title: string;
  /** Plain-text snippet with highlight markup removed. */
  summary: string;
  rank: number;
  /** Extra fields by entity: sender and date for mail, start for events, modified date and size for files, modified date for list items. */
  from?: string;
  date?: string;
  webUrl?: string;
  size?: number;
}

export interface SearchQuery {
  query: string;
  entities: SearchEntity[];
}
