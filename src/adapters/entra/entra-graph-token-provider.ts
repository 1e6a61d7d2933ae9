import { BrokenCircuitError, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import type { AuthenticationResult } from '@azure/msal-node';
import { DomainError, isDomainError } from '../../domain/errors.js';
import { userKey } from '../../domain/identity.js';
import type { Identity } from '../../domain/identity.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { GraphTokenCache } from '../../ports/graph-token-cache.js';
import type { GraphTokenProvider } from '../../ports/graph-token-provider.js';
import type { Lock } from '../../ports/lock.js';
import type { Logger } from '../../ports/logger.js';
import { isEntraUnavailable, isSignInRequired, toDomainError } from './entra-errors.js';
import type { MsalApplications } from './msal-applications.js';
import { UserTokenCachePlugin } from './token-cache-plugin.js';
import type { CustodyDeps, UserPartition } from './token-cache-plugin.js';

export interface RefreshPolicy {
  /** Refresh this long before expiry... */
  refreshAheadMs: number;
  /** ...plus up to this much random extra, so users' refreshes spread out. */
  refreshJitterMs: number;
  /** Allowed clock skew: a token this close to expiry counts as expired. */
  clockSkewMs: number;
  /** Lease of the cross-replica refresh lock (longer than one Entra round trip with timeout). */
  lockTtlMs: number;
  /** How long a caller waits for another replica's refresh before giving up. */
  lockWaitMs: number;
  /** Consecutive Entra failures of one tenant that open its breaker. */
  breakAfterFailures: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
}

export interface EntraGraphTokenProviderDeps {
  applications: MsalApplications;
  custody: CustodyDeps;
  lock: Lock;
  auditLog: AuditLog;
  graphScopes: string[];
  policy: RefreshPolicy;
  /** Where an `auth_required` error sends the user. */
  loginUrl: string;
  logger?: Logger;
  /** Called once the Microsoft refresh token is known dead: e.g. revoke our grants so clients re-run OAuth. */
  onSignInRequired?: (user: UserPartition) => Promise<void>;
  random?: () => number;
}

interface HotToken {
  token: string;
  expiresAt: number;
  refreshAt: number;
}

/**
 * Graph access tokens for a caller, from the user's sealed MSAL cache. Warm path: a process-local
 * copy, no I/O. Refresh: ahead of expiry with jitter, one per user per process (singleflight) and
 * across replicas (Lock), with per-tenant circuit breaking when Entra fails.
 */
export class EntraGraphTokenProvider implements GraphTokenProvider, GraphTokenCache {
  private readonly hot = new Map<string, HotToken>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly random: () => number;

  constructor(private readonly deps: EntraGraphTokenProviderDeps) {
    this.random = deps.random ?? Math.random;
  }

  async getAccessToken(caller: Identity): Promise<string> {
    const key = userKey(caller);
    const now = this.deps.custody.clock.now();
    const hot = this.hot.get(key);
    if (hot !== undefined && now < hot.refreshAt) return hot.token;
    if (hot !== undefined && now < hot.expiresAt - this.deps.policy.clockSkewMs) {
      // Still valid: refresh in the background and answer now.
      this.singleflight(caller).catch((error: unknown) => this.deps.logger?.warn('graph token refresh ahead failed', { category: isDomainError(error) ? error.category : 'internal' }));
      return hot.token;
    }
    return this.singleflight(caller);
  }

  evict(tenantId: string, objectId: string): void {
    this.hot.delete(userKey({ tenantId, objectId }));
  }

  private singleflight(caller: Identity): Promise<string> {
    const key = userKey(caller);
    let pending = this.inFlight.get(key);
    if (pending === undefined) {
      pending = this.refreshAcrossReplicas(caller).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async refreshAcrossReplicas(caller: Identity): Promise<string> {
    const key = userKey(caller);
    const clock = this.deps.custody.clock;
    const deadline = Date.now() + this.deps.policy.lockWaitMs;
    for (;;) {
      const lease = await this.deps.lock.tryAcquire(`graph-token-refresh:${key}`, this.deps.policy.lockTtlMs);
      if (lease !== null) {
        try {
          return await this.acquireUnderLock(caller);
        } finally {
          await lease.release();
        }
      }
      const hot = this.hot.get(key);
      if (hot !== undefined && clock.now() < hot.expiresAt - this.deps.policy.clockSkewMs) return hot.token;
      if (Date.now() >= deadline) {
        throw new DomainError('unavailable', 'entra.refreshBusy', 'Microsoft sign-in is busy refreshing; try again shortly.', { retryAfterSeconds: 2 });
      }
      // Another replica is refreshing: wait a jittered moment, then read what it stored.
      await new Promise((resolve) => setTimeout(resolve, 20 + this.random() * 40));
    }
  }

  private async acquireUnderLock(caller: Identity): Promise<string> {
    const partition: UserPartition = { tenantId: caller.tenantId, objectId: caller.objectId };
    const breaker = this.breakerFor(caller.tenantId);
    try {
      const result = await breaker.execute(() => this.silent(partition));
      const expiresAt = result.expiresOn?.getTime() ?? 0;
      const { refreshAheadMs, refreshJitterMs } = this.deps.policy;
      this.hot.set(userKey(partition), { token: result.accessToken, expiresAt, refreshAt: expiresAt - refreshAheadMs - this.random() * refreshJitterMs });
      if (!result.fromCache) this.deps.auditLog.record({ action: 'graph_token.refresh', outcome: 'success', tenantId: caller.tenantId, actor: caller.objectId });
      return result.accessToken;
    } catch (error) {
      return this.onFailure(caller, error);
    }
  }

  /** One MSAL silent call on a fresh per-user application; forces a network refresh only when due. */
  private async silent(partition: UserPartition): Promise<AuthenticationResult> {
    const plugin = new UserTokenCachePlugin(this.deps.custody, partition);
    const app = await this.deps.applications.create(partition.tenantId, plugin);
    const account = await app.getTokenCache().getAccountByLocalId(partition.objectId);
    if (account === null || account.tenantId !== partition.tenantId) {
      throw new DomainError('auth_required', 'auth.noStoredSignIn', 'No Microsoft sign-in is stored for you. Sign in again.', { loginUrl: this.deps.loginUrl });
    }
    const request = { account, scopes: this.deps.graphScopes, authority: this.deps.applications.authority(partition.tenantId) };
    let result = await app.acquireTokenSilent(request);
    const remaining = (result.expiresOn?.getTime() ?? 0) - this.deps.custody.clock.now();
    if (result.fromCache && remaining <= this.deps.policy.refreshAheadMs + this.deps.policy.clockSkewMs) {
      result = await app.acquireTokenSilent({ ...request, forceRefresh: true });
    }
    if (plugin.lostWrite) this.deps.logger?.warn('token cache write lost a race', { tenantId: partition.tenantId });
    return result;
  }

  private async onFailure(caller: Identity, error: unknown): Promise<string> {
    const audit = { action: 'graph_token.refresh', tenantId: caller.tenantId, actor: caller.objectId } as const;
    if (error instanceof BrokenCircuitError) {
      const hot = this.hot.get(userKey(caller));
      if (hot !== undefined && this.deps.custody.clock.now() < hot.expiresAt - this.deps.policy.clockSkewMs) return hot.token;
      this.deps.auditLog.record({ ...audit, outcome: 'failure', reason: 'tenant_backoff' });
      throw new DomainError('unavailable', 'entra.backoff', 'Microsoft sign-in is failing for your organization; backing off. Try again shortly.', {
        retryAfterSeconds: Math.ceil(this.deps.policy.backoffInitialMs / 1000),
      });
    }
    const domainError = toDomainError(error, this.deps.loginUrl);
    if (domainError.category === 'auth_required') {
      // Dead refresh token (or undecryptable custody): forget it everywhere so the user signs in afresh.
      this.hot.delete(userKey(caller));
      await this.deps.custody.tokenStore.delete(caller.tenantId, caller.objectId);
      this.deps.auditLog.record({ ...audit, outcome: 'denied', reason: isSignInRequired(error) ? 'invalid_grant' : domainError.code });
      await this.deps.onSignInRequired?.({ tenantId: caller.tenantId, objectId: caller.objectId });
    } else {
      this.deps.auditLog.record({ ...audit, outcome: 'failure', reason: domainError.code });
    }
    throw domainError;
  }

  private breakerFor(tenantId: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(tenantId);
    if (breaker === undefined) {
      const { breakAfterFailures, backoffInitialMs, backoffMaxMs } = this.deps.policy;
      breaker = circuitBreaker(handleWhen(isEntraUnavailable), {
        breaker: new ConsecutiveBreaker(breakAfterFailures),
        halfOpenAfter: new ExponentialBackoff({ initialDelay: backoffInitialMs, maxDelay: backoffMaxMs }),
      });
      this.breakers.set(tenantId, breaker);
    }
    return breaker;
  }
}
