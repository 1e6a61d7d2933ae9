import { invalidInput } from './errors.js';

/**
 * Tool families: the unit of configuration (profiles), consent (delegated Graph scopes), flags and
 * dashboards. `auth` (who am I) is always on; `teams` is off unless an operator enables it.
 */
export const FAMILIES = ['mail', 'calendar', 'files', 'search', 'contacts', 'tasks', 'teams', 'auth'] as const;
export type Family = (typeof FAMILIES)[number];

/** Families a deployment may list in TOOL_FAMILIES and a client in its profile. */
export const SELECTABLE_FAMILIES: readonly Family[] = ['mail', 'calendar', 'files', 'search', 'contacts', 'tasks', 'teams'];

export const DEFAULT_FAMILIES: readonly Family[] = ['mail', 'calendar', 'files', 'search', 'contacts', 'tasks'];

export interface FamilyScopes {
  /** Delegated scopes the family's read-only tools need. */
  read: readonly string[];
  /** Extra scopes its writing tools need; a `X.ReadWrite` scope replaces `X.Read`. */
  write: readonly string[];
}

/** Delegated Microsoft Graph permissions per family (least privilege for what the tools call). */
export const FAMILY_SCOPES: Readonly<Record<Family, FamilyScopes>> = {
  mail: { read: ['Mail.Read'], write: ['Mail.ReadWrite', 'Mail.Send'] },
  calendar: { read: ['Calendars.Read'], write: ['Calendars.ReadWrite'] },
  // .All: drives shared with the user, not only the user's own OneDrive.
  files: { read: ['Files.Read.All'], write: ['Files.ReadWrite.All'] },
  // Microsoft Search reads each entity with that entity's own permission; list items need Sites.Read.All.
  search: { read: ['Mail.Read', 'Calendars.Read', 'Files.Read.All', 'Sites.Read.All'], write: [] },
  contacts: { read: ['Contacts.Read', 'People.Read'], write: ['Contacts.ReadWrite'] },
  tasks: { read: ['Tasks.Read'], write: ['Tasks.ReadWrite'] },
  teams: {
    read: ['Chat.Read', 'Team.ReadBasic.All', 'Channel.ReadBasic.All', 'ChannelMessage.Read.All'],
    write: ['ChatMessage.Send', 'ChannelMessage.Send'],
  },
  auth: { read: ['User.Read'], write: [] },
};

/** Sign-in scopes every session asks for: identity plus a refresh token. */
export const BASE_SCOPES: readonly string[] = ['openid', 'profile', 'offline_access', 'User.Read'];

export interface ScopeRequest {
  families: readonly Family[];
  readOnly: boolean;
}

/**
 * The delegated scopes to request at sign-in for the enabled families: only read scopes in
 * read-only mode, and never both `X.Read` and `X.ReadWrite` (the latter implies the former).
 * Deterministic order (base scopes first, then sorted) so consent prompts and caches are stable.
 */
export function scopesFor(request: ScopeRequest): string[] {
  const wanted = new Set<string>();
  for (const family of new Set<Family>([...request.families, 'auth'])) {
    const scopes = FAMILY_SCOPES[family];
    for (const s of scopes.read) wanted.add(s);
    if (!request.readOnly) for (const s of scopes.write) wanted.add(s);
  }
  for (const s of [...wanted]) {
    const readWrite = s.replace(/\.Read(\.|$)/, '.ReadWrite$1');
    if (readWrite !== s && wanted.has(readWrite)) wanted.delete(s);
  }
  for (const s of BASE_SCOPES) wanted.delete(s);
  return [...BASE_SCOPES, ...[...wanted].sort()];
}

/** Parses a comma-separated family list (config or a client's profile); throws on unknown names. */
export function parseFamilies(values: readonly string[], where: string): Family[] {
  const out: Family[] = [];
  for (const raw of values) {
    const value = raw.trim().toLowerCase();
    if (value === '') continue;
    if (!(SELECTABLE_FAMILIES as readonly string[]).includes(value)) {
      throw invalidInput('profile.unknownFamily', `${where} names an unknown tool family (${raw.slice(0, 40)}).`);
    }
    if (!out.includes(value as Family)) out.push(value as Family);
  }
  return out;
}
