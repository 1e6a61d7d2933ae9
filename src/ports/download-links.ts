import type { Identity } from '../domain/identity.js';

export interface DownloadLink {
  url: string;
  /** ISO instant. */
  expiresAt: string;
}

/** Short-lived links to a file served by this gateway, usable only by the user they were issued to. */
export interface DownloadLinks {
  issue(caller: Identity, itemId: string): Promise<DownloadLink>;
  /** The item id a token grants to `caller`, or null when the token is invalid, expired or someone else's. */
  resolve(token: string, caller: Identity): Promise<string | null>;
}
