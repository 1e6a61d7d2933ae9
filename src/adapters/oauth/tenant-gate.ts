import type { SignedInUser } from '../../ports/identity-provider.js';
import type { TenantPolicy } from './oauth-settings.js';

export type TenantDecision = { allowed: true } | { allowed: false; reason: 'tenant_not_allowed' | 'admin_consent_required' | 'consent_missing' };

export function tenantAllowed(policy: TenantPolicy, tenantId: string): boolean {
  return policy.allowedTenants === '*' || policy.allowedTenants.includes(tenantId);
}

/** The allow-list and consent policy applied to a fresh Entra sign-in. */
export function decideTenant(policy: TenantPolicy, user: SignedInUser, requiredScopes: readonly string[]): TenantDecision {
  if (!tenantAllowed(policy, user.tenantId)) return { allowed: false, reason: 'tenant_not_allowed' };
  if (policy.consentPolicy === 'admin' && !policy.adminConsentedTenants.includes(user.tenantId)) return { allowed: false, reason: 'admin_consent_required' };
  const granted = new Set(user.grantedScopes.map((s) => s.toLowerCase()));
  if (requiredScopes.some((s) => !granted.has(s.toLowerCase()))) return { allowed: false, reason: 'consent_missing' };
  return { allowed: true };
}
