import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { DomainError, isDomainError } from '../../domain/errors.js';

/** Server answers that mean the user's Microsoft sign-in is dead and only a new sign-in helps. */
const SIGN_IN_REQUIRED = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required', 'no_tokens_found', 'refresh_token_expired', 'bad_token']);

/** Transient answers: back off and retry later. */
const TRANSIENT = new Set(['temporarily_unavailable', 'server_error', 'network_error', 'request_timeout']);

export function isSignInRequired(error: unknown): boolean {
  if (error instanceof InteractionRequiredAuthError) return true;
  return error instanceof AuthError && SIGN_IN_REQUIRED.has(error.errorCode);
}

/** Entra is down or unreachable (5xx, timeouts, network failures): counts towards the tenant's backoff. */
export function isEntraUnavailable(error: unknown): boolean {
  if (isDomainError(error)) return error.category === 'unavailable' || error.category === 'timeout';
  if (error instanceof ServerError && error.status !== undefined && error.status >= 500) return true;
  if (error instanceof AuthError) return TRANSIENT.has(error.errorCode);
  // fetch failures and aborts surface as plain errors through our network client.
  return error instanceof Error && (error.name === 'TypeError' || error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Translates an MSAL or network failure into the domain taxonomy; never includes tokens. */
export function toDomainError(error: unknown, loginUrl: string): DomainError {
  if (isDomainError(error)) return error;
  if (isSignInRequired(error)) {
    return new DomainError('auth_required', 'auth.signInRequired', 'Your Microsoft sign-in has expired or was revoked. Sign in again.', { loginUrl, cause: error });
  }
  if (isEntraUnavailable(error)) {
    return new DomainError('unavailable', 'entra.unavailable', 'Microsoft sign-in is temporarily unavailable. Try again shortly.', { retryAfterSeconds: 5, cause: error });
  }
  return new DomainError('internal', 'entra.unexpected', 'Unexpected failure talking to Microsoft sign-in.', { cause: error });
}
