import type { Identity } from '../../domain/identity.js';

/** Turns the bearer token of a request into the caller's identity, or null when it is not valid. */
export interface Authenticator {
  authenticate(bearerToken: string | undefined): Promise<Identity | null>;
  /** Value of `WWW-Authenticate` on a 401 from `/mcp`. */
  challenge(): string;
}

export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization);
  return match?.[1];
}
