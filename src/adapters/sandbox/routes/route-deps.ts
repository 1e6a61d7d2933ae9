import type { SandboxTenant } from '../sandbox-tenant.js';

/** What every route module needs from the app. */
export interface RouteDeps {
  tenant: SandboxTenant;
  now: () => number;
  /** Base of webLink/webUrl values (a fake Outlook/SharePoint host). */
  webBase: string;
  /** Signs and checks the short-lived pre-authenticated download URLs. */
  downloadSecret: string;
  downloadUrlTtlMs: number;
}

/** Graph's @odata.context, pointing at the sandbox's own origin. */
export function odataContext(requestUrl: string, fragment: string): string {
  return `${new URL(requestUrl).origin}/v1.0/$metadata#${fragment}`;
}
