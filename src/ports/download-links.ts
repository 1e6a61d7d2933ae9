import type { Identity } from '../domain/identity.js';

export interface DownloadLink {
  url: string;
  /** ISO instant. */
  expiresAt: string;
}

/** What a link serves: a OneDrive file, or a file attachment of a message. */
export type DownloadTarget = { kind: 'driveItem'; itemId: string } | { kind: 'attachment'; messageId: string; attachmentId: string };

/** Short-lived links to content served by this gateway, usable only by the user they were issued to. */
export interface DownloadLinks {
  issue(caller: Identity, target: DownloadTarget): Promise<DownloadLink>;
  /** What a token grants to `caller`, or null when the token is invalid, expired or someone else's. */
  resolve(token: string, caller: Identity): Promise<DownloadTarget | null>;
}
