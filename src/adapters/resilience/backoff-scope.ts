import type { GraphCallContext, GraphFamily } from '../graph/graph-call-policy.js';

/** Whose calls a 429 holds back: the caller's mailbox (Graph's app + mailbox limits) or the whole tenant. */
export type BackoffScope = 'mailbox' | 'tenant';

/**
 * Where Graph throttles each family (Microsoft Graph service-specific throttling limits): Outlook
 * (mail, calendar, contacts, To Do) per app and mailbox, and exceeding it for one mailbox does not
 * affect another; Teams and the directory (profile) per app and tenant; SharePoint/OneDrive (files)
 * per user and per app and tenant, and search is not documented, so those stay tenant-wide.
 */
export const GRAPH_BACKOFF_SCOPES: Readonly<Record<GraphFamily, BackoffScope>> = {
  mail: 'mailbox',
  calendar: 'mailbox',
  contacts: 'mailbox',
  tasks: 'mailbox',
  files: 'tenant',
  search: 'tenant',
  profile: 'tenant',
  teams: 'tenant',
};

/** What one back-off covers: its scope and the key it is stored under. */
export interface BackoffTarget {
  scope: BackoffScope;
  key: string;
}

/**
 * Mailbox-scoped families share one back-off per mailbox (Outlook counts mail, calendar, contacts and
 * tasks against one limit); tenant-scoped ones share one per tenant. Neither holds back the other.
 */
export function backoffTarget(scope: BackoffScope, ctx: Pick<GraphCallContext, 'tenantId' | 'userId'>): BackoffTarget {
  return { scope, key: scope === 'mailbox' ? `${ctx.tenantId}:${ctx.userId}` : ctx.tenantId };
}
