import type { Identity } from '../../domain/identity.js';
import type { Clock } from '../../ports/clock.js';
import type { GraphTokenProvider } from '../../ports/graph-token-provider.js';
import { mintSandboxAccessToken } from './access-token.js';

/**
 * Graph tokens for the sandbox tenant, minted locally with the sandbox's shared secret. Stands in
 * for Entra sign-in where no identity provider is configured (embedded default, tests of tools).
 */
export class SandboxGraphTokenProvider implements GraphTokenProvider {
  constructor(
    private readonly secret: string,
    private readonly scopes: readonly string[],
    private readonly clock: Clock,
  ) {}

  async getAccessToken(caller: Identity): Promise<string> {
    return mintSandboxAccessToken(this.secret, {
      tenantId: caller.tenantId,
      userId: caller.objectId,
      scopes: [...this.scopes],
      expiresAt: this.clock.now() + 60 * 60 * 1000,
    });
  }
}
