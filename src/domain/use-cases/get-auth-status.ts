import type { Identity } from '../identity.js';
import type { TokenStore } from '../../ports/token-store.js';

export interface GetAuthStatusInput {
  caller: Identity;
  /** Expiry (epoch ms) of the caller's access token, when the edge knows it. */
  tokenExpiresAt?: number;
}

/** Who the caller is and what it may do. Never contains a token. */
export interface AuthStatus {
  tenantId: string;
  objectId: string;
  subject: string;
  clientId: string;
  scopes: string[];
  /** ISO 8601. */
  accessTokenExpiresAt?: string;
  microsoftSignIn: {
    /** Whether we hold the user's Microsoft sign-in (refresh token) in custody. */
    stored: boolean;
    /** ISO 8601: when the stored sign-in lapses if unused. */
    expiresAt?: string;
  };
}

export class GetAuthStatus {
  constructor(private readonly tokens: TokenStore) {}

  async execute(input: GetAuthStatusInput): Promise<AuthStatus> {
    const { caller } = input;
    const stored = await this.tokens.get(caller.tenantId, caller.objectId);
    return {
      tenantId: caller.tenantId,
      objectId: caller.objectId,
      subject: caller.subject,
      clientId: caller.clientId,
      scopes: [...caller.scopes],
      ...(input.tokenExpiresAt === undefined ? {} : { accessTokenExpiresAt: new Date(input.tokenExpiresAt).toISOString() }),
      microsoftSignIn: stored === null ? { stored: false } : { stored: true, expiresAt: new Date(stored.expiresAt).toISOString() },
    };
  }
}
