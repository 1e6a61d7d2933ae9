import type { Identity } from '../../domain/identity.js';
import type { UserProfile } from '../../domain/profile.js';
import type { ProfileGateway } from '../../ports/profile-gateway.js';
import type { GraphHttpClient } from './graph-http-client.js';
import { obj } from './graph-values.js';
import { PROFILE_SELECT, toUserProfile } from './normalize-profile.js';

export class HttpProfileGateway implements ProfileGateway {
  constructor(private readonly graph: GraphHttpClient) {}

  async me(caller: Identity): Promise<UserProfile> {
    const body = await this.graph.request<unknown>(caller, {
      family: 'profile',
      operation: 'profile.me',
      method: 'GET',
      path: '/me',
      query: { $select: PROFILE_SELECT },
      idempotent: true,
    });
    return toUserProfile(obj(body), caller.tenantId);
  }
}
