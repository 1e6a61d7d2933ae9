import { notFound } from '../../domain/errors.js';
import type { Identity } from '../../domain/identity.js';
import { userKey } from '../../domain/identity.js';
import type { UserProfile } from '../../domain/profile.js';
import type { ProfileGateway } from '../../ports/profile-gateway.js';

/** User profiles in memory, keyed by tenant and object id. */
export class InMemoryProfileGateway implements ProfileGateway {
  private readonly profiles = new Map<string, UserProfile>();

  add(owner: Pick<Identity, 'tenantId' | 'objectId'>, profile: UserProfile): void {
    this.profiles.set(userKey(owner), profile);
  }

  async me(caller: Identity): Promise<UserProfile> {
    const profile = this.profiles.get(userKey(caller));
    if (profile === undefined) throw notFound('graph.itemNotFound', 'No profile is known for this user.');
    return { ...profile };
  }
}
