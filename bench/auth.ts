import { EntraGraphTokenProvider } from '../src/adapters/entra/entra-graph-token-provider.js';
import { MsalApplications } from '../src/adapters/entra/msal-applications.js';
import { MsalIdentityProvider } from '../src/adapters/entra/msal-identity-provider.js';
import { InMemoryGrantStore } from '../src/adapters/memory/in-memory-grant-store.js';
import { hashSecret, newSecret } from '../src/adapters/oauth/secrets.js';
import { startSandboxIdentity } from '../src/adapters/sandbox/identity/start-sandbox-identity.js';
import { ALL_SANDBOX_SCOPES } from '../src/adapters/sandbox/sandbox-server.js';
import { SEEDED_USERS } from '../src/adapters/sandbox/seed.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import type { Identity } from '../src/domain/identity.js';
// Minimal in-memory stores until the storage adapters (issue 5) are on main.
import { approveSignIn } from '../test/support/sandbox-idp.js';
import { TestAuditLog, TestEncryptor, TestLock, TestTokenStore } from '../test/support/stores.js';
import { fmt, percentile } from './support.js';

const WARM_CALLS = Number(process.env.BENCH_AUTH_WARM_CALLS ?? 50_000);
const COLD_CALLS = Number(process.env.BENCH_AUTH_COLD_CALLS ?? 600);

async function timeEach(count: number, op: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/**
 * Auth overhead per tool call, in process (no HTTP): bearer verification (hash + grant lookup) and
 * Graph token lookup, warm (process-local copy) versus cold (TokenStore read, decryption, MSAL
 * deserialisation and cache lookup under the refresh lock; no network, the token is still valid).
 */
export async function runAuthBench(): Promise<void> {
  const callback = 'http://127.0.0.1:9/oauth/callback';
  const identity = await startSandboxIdentity({ gatewayCallbackUrl: callback, graphTokenSecret: 'bench-auth-secret-0123456789', graphScopes: [...ALL_SANDBOX_SCOPES] });
  try {
    const clock = new SystemClock();
    const custody = { tokenStore: new TestTokenStore(), encryptor: new TestEncryptor(), clock, custodyTtlMs: 90 * 86400_000 };
    const applications = new MsalApplications(identity.entra);
    const signIn = new MsalIdentityProvider(identity.entra, applications, custody, 'http://127.0.0.1:9/authorize');
    const callers: Identity[] = [];
    for (const user of SEEDED_USERS) {
      const start = await signIn.beginSignIn({ state: newSecret() });
      const code = (await approveSignIn(start.url, user.userPrincipalName)).searchParams.get('code') ?? '';
      const completed = await signIn.completeSignIn({ code, codeVerifier: start.codeVerifier });
      await completed.keepTokens();
      callers.push({ tenantId: user.tenantId, objectId: user.id, subject: completed.user.subject, clientId: 'bench', scopes: [] });
    }
    const provider = new EntraGraphTokenProvider({
      applications,
      custody,
      lock: new TestLock(),
      auditLog: new TestAuditLog(),
      graphScopes: [...ALL_SANDBOX_SCOPES],
      policy: { refreshAheadMs: 300_000, refreshJitterMs: 120_000, clockSkewMs: 60_000, lockTtlMs: 15_000, lockWaitMs: 10_000, breakAfterFailures: 5, backoffInitialMs: 1000, backoffMaxMs: 60_000 },
      loginUrl: 'http://127.0.0.1:9/authorize',
    });
    const pick = (i: number): Identity => callers[i % callers.length]!;

    // Our bearer tokens: verification is a SHA-256 and a grant-store lookup.
    const grants = new InMemoryGrantStore(clock);
    const bearers = await Promise.all(
      callers.map(async (c) => {
        const token = newSecret();
        await grants.putAccessToken(hashSecret(token), { grantId: 'g', tenantId: c.tenantId, objectId: c.objectId, subject: c.subject, clientId: 'bench', scopes: [], resource: 'r', expiresAt: Date.now() + 3600_000 });
        return token;
      }),
    );
    const bearer = await timeEach(WARM_CALLS, (i) => grants.getAccessToken(hashSecret(bearers[i % bearers.length]!)));

    const requestsBefore = identity.controls.tokenRequests.length;
    const cold = await timeEach(COLD_CALLS, async (i) => {
      const caller = pick(i);
      provider.evict(caller.tenantId, caller.objectId);
      await provider.getAccessToken(caller);
    });
    for (const c of callers) await provider.getAccessToken(c);
    const warm = await timeEach(WARM_CALLS, (i) => provider.getAccessToken(pick(i)));
    const networkCalls = identity.controls.tokenRequests.length - requestsBefore;

    console.log(`\nauth overhead per tool call (${callers.length} users, in process; ms)`);
    console.log(`  bearer verification (hash + grant lookup): p50 ${fmt(bearer.p50, 4)}  p99 ${fmt(bearer.p99, 4)}  (${WARM_CALLS} calls)`);
    console.log(`  Graph token, warm (process-local copy):    p50 ${fmt(warm.p50, 4)}  p99 ${fmt(warm.p99, 4)}  (${WARM_CALLS} calls)`);
    console.log(`  Graph token, cold (store + decrypt + MSAL): p50 ${fmt(cold.p50, 3)}  p99 ${fmt(cold.p99, 3)}  (${COLD_CALLS} calls)`);
    console.log(`  warm total (bearer + Graph token) p50 ${fmt(bearer.p50 + warm.p50, 4)} ms; target < 0.5 ms: ${bearer.p50 + warm.p50 < 0.5 ? 'met' : 'MISSED'}`);
    console.log(`  token requests to the IdP during the measurement: ${networkCalls} (expected 0: tokens were valid)`);
  } finally {
    await identity.close();
  }
}
