import type { Identity } from '../identity.js';
import type { UserProfile } from '../profile.js';
import type { ProfileGateway } from '../../ports/profile-gateway.js';

export interface WhoAmIResult {
  profile: UserProfile;
  tenantId: string;
  clientId: string;
  scopes: string[];
}

/** Who the gateway acts as: the Graph profile plus the identity our token is bound to. */
export class WhoAmI {
  constructor(private readonly profiles: ProfileGateway) {}

  async execute(caller: Identity, _input: Record<string, never> = {}): Promise<WhoAmIResult> {
    const profile = await this.profiles.me(caller);
    return { profile, tenantId: caller.tenantId, clientId: caller.clientId, scopes: [...caller.scopes] };
  }
}
