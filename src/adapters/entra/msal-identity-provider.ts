import { CryptoProvider } from '@azure/msal-node';
import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify } from 'jose';
import { DomainError } from '../../domain/errors.js';
import type { CompletedSignIn, IdentityProvider, SignInStart, SignedInUser } from '../../ports/identity-provider.js';
import type { EntraSettings } from './entra-settings.js';
import { toDomainError } from './entra-errors.js';
import type { MsalApplications } from './msal-applications.js';
import { CapturingCachePlugin, sealCache } from './token-cache-plugin.js';
import type { CustodyDeps } from './token-cache-plugin.js';

/**
 * The Entra leg of our /authorize: MSAL's authorization code flow with our own PKCE pair, the id
 * token verified against the authority's JWKS, and the user's token cache sealed into custody.
 */
export class MsalIdentityProvider implements IdentityProvider {
  private readonly crypto = new CryptoProvider();
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly settings: EntraSettings,
    private readonly applications: MsalApplications,
    private readonly custody: CustodyDeps,
    private readonly loginUrl: string,
  ) {
    const keysUrl = `${applications.authority(settings.signInTenant)}/discovery/v2.0/keys`;
    this.jwks = createRemoteJWKSet(new URL(keysUrl), {
      [customFetch]: (url: string, init: RequestInit) => fetch(applications.network.resolve(url), init),
      timeoutDuration: settings.requestTimeoutMs,
    });
  }

  async beginSignIn(input: { state: string }): Promise<SignInStart> {
    const { verifier, challenge } = await this.crypto.generatePkceCodes();
    try {
      const app = await this.applications.create(this.settings.signInTenant, new CapturingCachePlugin());
      const url = await app.getAuthCodeUrl({
        scopes: this.settings.graphScopes,
        redirectUri: this.settings.redirectUri,
        state: input.state,
        codeChallenge: challenge,
        codeChallengeMethod: 'S256',
        responseMode: 'query',
        prompt: 'select_account',
      });
      return { url: this.applications.browserUrl(url), codeVerifier: verifier };
    } catch (error) {
      throw toDomainError(error, this.loginUrl);
    }
  }

  async completeSignIn(input: { code: string; codeVerifier: string }): Promise<CompletedSignIn> {
    const plugin = new CapturingCachePlugin();
    let result;
    try {
      const app = await this.applications.create(this.settings.signInTenant, plugin);
      result = await app.acquireTokenByCode({
        code: input.code,
        codeVerifier: input.codeVerifier,
        redirectUri: this.settings.redirectUri,
        scopes: this.settings.graphScopes,
      });
    } catch (error) {
      throw toDomainError(error, this.loginUrl);
    }
    const user = await this.verifyIdToken(result.idToken, result.scopes);
    const serialized = plugin.serialized;
    return {
      user,
      keepTokens: async () => {
        if (serialized === null) throw new DomainError('internal', 'entra.noCache', 'Sign-in produced no token cache.');
        // A new sign-in replaces whatever was stored; retry briefly if a refresh races us.
        for (let attempt = 0; attempt < 3; attempt += 1) {
          const current = await this.custody.tokenStore.get(user.tenantId, user.objectId);
          if (await sealCache(this.custody, user, serialized, (current?.version ?? 0) + 1)) return;
        }
        throw new DomainError('conflict', 'entra.custodyRace', 'Could not store the sign-in; try again.');
      },
    };
  }

  private async verifyIdToken(idToken: string, grantedScopes: string[]): Promise<SignedInUser> {
    try {
      const claimed = decodeJwt(idToken);
      const tid = typeof claimed.tid === 'string' ? claimed.tid : '';
      const { payload } = await jwtVerify(idToken, this.jwks, {
        algorithms: ['RS256'],
        audience: this.settings.clientId,
        issuer: `${this.settings.authorityHost.replace(/\/$/, '')}/${tid}/v2.0`,
        currentDate: new Date(this.custody.clock.now()),
        clockTolerance: 300,
      });
      if (typeof payload.oid !== 'string' || typeof payload.sub !== 'string' || tid === '') throw new Error('id token lacks oid, sub or tid');
      return {
        tenantId: tid,
        objectId: payload.oid,
        subject: payload.sub,
        grantedScopes: grantedScopes.map((s) => s.toLowerCase()),
        ...(typeof payload.name === 'string' ? { displayName: payload.name } : {}),
      };
    } catch (cause) {
      throw new DomainError('auth_required', 'entra.badIdToken', 'Microsoft sign-in returned an invalid identity.', { loginUrl: this.loginUrl, cause });
    }
  }
}
