import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a sandbox access token asserts. A later Entra-compatible issuer maps its JWTs onto the same shape. */
export interface SandboxAccessClaims {
  tenantId: string;
  userId: string;
  scopes: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type TokenVerification =
  | { ok: true; claims: SandboxAccessClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** The app accepts any verifier, so another token format can be plugged in without touching the routes. */
export type AccessTokenVerifier = (token: string, nowMs: number) => TokenVerification;

/** The secret `startSandbox` uses when none is given; fine for a local simulator, never for a real service. */
export const DEFAULT_SANDBOX_TOKEN_SECRET = 'm365-sandbox-local-secret';

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** Token format: base64url(JSON claims) + "." + base64url(HMAC-SHA256(secret, first part)). */
export function mintSandboxAccessToken(secret: string, claims: SandboxAccessClaims): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

function isClaims(value: unknown): value is SandboxAccessClaims {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.tenantId === 'string' &&
    typeof v.userId === 'string' &&
    typeof v.expiresAt === 'number' &&
    Array.isArray(v.scopes) &&
    v.scopes.every((s) => typeof s === 'string')
  );
}

export function createHmacTokenVerifier(secret: string): AccessTokenVerifier {
  return (token, nowMs) => {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(sign(secret, payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'bad_signature' };
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
    if (claims.expiresAt <= nowMs) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  };
}

/**
 * Delegated scope check: `X.ReadWrite` implies `X.Read`, and the `.All`/`.Shared` variants imply the plain ones.
 * `required` lists alternatives; any one satisfies.
 */
export function hasAnyScope(granted: readonly string[], required: readonly string[]): boolean {
  const normalized = granted.map((s) => s.toLowerCase().replace(/\.(all|shared)$/, ''));
  return required.some((req) => {
    const r = req.toLowerCase().replace(/\.(all|shared)$/, '');
    if (normalized.includes(r)) return true;
    return r.endsWith('.read') && normalized.includes(`${r}write`);
  });
}
