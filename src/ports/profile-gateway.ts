import type { Identity } from '../domain/identity.js';
import type { UserProfile } from '../domain/profile.js';

export interface ProfileGateway {
  me(caller: Identity): Promise<UserProfile>;
}
