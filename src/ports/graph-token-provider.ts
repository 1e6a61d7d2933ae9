import type { Identity } from '../domain/identity.js';

/**
 * Supplies a Microsoft Graph access token for the caller. The token never leaves the Graph adapter:
 * clients never see it, and the client's own token is never sent to Graph.
 * Fails with `auth_required` when the user must sign in again.
 */
export interface GraphTokenProvider {
  getAccessToken(caller: Identity): Promise<string>;
}
