import { EntraGraphTokenProvider } from '../../src/adapters/entra/entra-graph-token-provider.js';
import type { RefreshPolicy } from '../../src/adapters/entra/entra-graph-token-provider.js';
import { MsalApplications } from '../../src/adapters/entra/msal-applications.js';
import { MsalIdentityProvider } from '../../src/adapters/entra/msal-identity-provider.js';
import type { CustodyDeps } from '../../src/adapters/entra/token-cache-plugin.js';
import type { EntraSettings } from '../../src/adapters/entra/entra-settings.js';
import type { Identity } from '../../src/domain/identity.js';
import type { SignedInUser } from '../../src/ports/identity-provider.js';
import { approveSignIn } from './sandbox-idp.js';
import { ManualClock, TestAuditLog, TestEncryptor, TestLock, TestTokenStore } from './stores.js';

export const LOGIN_URL = 'https://gateway.test/authorize';

export const FAST_POLICY: RefreshPolicy = {
  refreshAheadMs: 5 * 60_000,
  refreshJitterMs: 60_000,
  clockSkewMs: 60_000,
  lockTtlMs: 10_000,
  lockWaitMs: 15_000,
  breakAfterFailures: 2,
  backoffInitialMs: 200,
  backoffMaxMs: 1000,
};

export interface EntraWorld {
  clock: ManualClock;
  custody: CustodyDeps & { tokenStore: TestTokenStore };
  lock: TestLock;
  audit: TestAuditLog;
  applications: MsalApplications;
  signIn: MsalIdentityProvider;
  makeProvider(overrides?: Partial<RefreshPolicy>): EntraGraphTokenProvider;
}

export function makeEntraWorld(settings: EntraSettings): EntraWorld {
  const clock = new ManualClock(Date.now());
  const custody = { tokenStore: new TestTokenStore(), encryptor: new TestEncryptor(), clock, custodyTtlMs: 90 * 24 * 3600_000 };
  const lock = new TestLock();
  const audit = new TestAuditLog();
  const applications = new MsalApplications(settings);
  return {
    clock,
    custody,
    lock,
    audit,
    applications,
    signIn: new MsalIdentityProvider(settings, applications, custody, LOGIN_URL),
    makeProvider: (overrides = {}) =>
      new EntraGraphTokenProvider({
        // Each provider gets its own MSAL applications, as a separate process would.
        applications: new MsalApplications(settings),
        custody,
        lock,
        auditLog: audit,
        graphScopes: settings.graphScopes,
        policy: { ...FAST_POLICY, ...overrides },
        loginUrl: LOGIN_URL,
      }),
  };
}

/** Full Entra leg: begin, headless approve, redeem, keep tokens. */
export async function signInAs(world: EntraWorld, upn: string): Promise<SignedInUser> {
  const start = await world.signIn.beginSignIn({ state: 'state-1' });
  const callback = await approveSignIn(start.url, upn);
  const code = callback.searchParams.get('code');
  if (code === null) throw new Error('no code');
  const completed = await world.signIn.completeSignIn({ code, codeVerifier: start.codeVerifier });
  await completed.keepTokens();
  return completed.user;
}

export function identityOf(user: SignedInUser, clientId = 'client-1'): Identity {
  return { tenantId: user.tenantId, objectId: user.objectId, subject: user.subject, clientId, scopes: user.grantedScopes };
}
