import { z } from 'zod';
import type { DriveItem } from '../../domain/files.js';
import type { UploadSessionState } from '../../domain/upload-session.js';
import type { FlagOverrides } from '../../ports/feature-flags.js';
import type { AccessTokenRecord, AuthorizationCodeRecord, Grant, PendingAuthorization, RefreshTokenRecord } from '../../ports/grant-store.js';
import type { IdempotencyClaim } from '../../ports/idempotency-store.js';
import type { OAuthClient } from '../../ports/oauth-client-store.js';
import type { McpSession } from '../../ports/session-store.js';
import type { StoredTokens } from '../../ports/token-store.js';

/**
 * Schemas for records every storage adapter persists. A record that fails its schema is treated
 * as absent (and may be overwritten), so corrupted or foreign data never crashes a request.
 */
export const storedTokensSchema: z.ZodType<StoredTokens> = z.object({
  tenantId: z.string(),
  objectId: z.string(),
  sealed: z.string(),
  version: z.number().int().positive(),
  expiresAt: z.number(),
});

export const sessionSchema: z.ZodType<McpSession> = z.object({
  id: z.string(),
  tenantId: z.string(),
  objectId: z.string(),
  subject: z.string(),
  clientId: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  profile: z.array(z.string()).optional(),
});

export interface IdempotencyRecord {
  fingerprint: string;
  state: 'pending' | 'done';
  result?: string;
  expiresAt: number;
}

export const idempotencyRecordSchema: z.ZodType<IdempotencyRecord> = z.object({
  fingerprint: z.string(),
  state: z.enum(['pending', 'done']),
  result: z.string().optional(),
  expiresAt: z.number(),
});

export const flagOverridesSchema: z.ZodType<FlagOverrides> = z.object({
  disabled: z.array(z.string()),
  readOnly: z.boolean().optional(),
  concurrency: z.record(z.string(), z.number().int().positive()).optional(),
  backoffMultiplier: z.number().min(1).optional(),
});

export const NO_OVERRIDES: FlagOverrides = { disabled: [] };

export const pendingAuthorizationSchema: z.ZodType<PendingAuthorization> = z.object({
  clientId: z.string(),
  redirectUri: z.string(),
  state: z.string(),
  codeChallenge: z.string(),
  resource: z.string(),
  scopes: z.array(z.string()),
  csrfToken: z.string(),
  entraCodeVerifier: z.string().optional(),
  browserBindingHash: z.string().optional(),
  expiresAt: z.number(),
});

export const authorizationCodeSchema: z.ZodType<AuthorizationCodeRecord> = z.object({
  grantId: z.string(),
  clientId: z.string(),
  redirectUri: z.string(),
  codeChallenge: z.string(),
  resource: z.string(),
  expiresAt: z.number(),
});

export const grantSchema: z.ZodType<Grant> = z.object({
  id: z.string(),
  tenantId: z.string(),
  objectId: z.string(),
  subject: z.string(),
  clientId: z.string(),
  scopes: z.array(z.string()),
  resource: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});

export const accessTokenRecordSchema: z.ZodType<AccessTokenRecord> = z.object({
  grantId: z.string(),
  tenantId: z.string(),
  objectId: z.string(),
  subject: z.string(),
  clientId: z.string(),
  scopes: z.array(z.string()),
  resource: z.string(),
  expiresAt: z.number(),
});

export const refreshTokenRecordSchema: z.ZodType<RefreshTokenRecord> = z.object({
  grantId: z.string(),
  expiresAt: z.number(),
});

export const oauthClientSchema: z.ZodType<OAuthClient> = z.object({
  clientId: z.string(),
  clientName: z.string(),
  redirectUris: z.array(z.string()),
  source: z.enum(['preregistered', 'dynamic', 'metadata_document']),
  createdAt: z.number(),
  expiresAt: z.number().optional(),
});

const driveItemSchema: z.ZodType<DriveItem> = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['file', 'folder']),
  size: z.number(),
  childCount: z.number().optional(),
  mimeType: z.string().optional(),
  createdAt: z.string().optional(),
  modifiedAt: z.string(),
  parentPath: z.string().optional(),
  webUrl: z.string().optional(),
  driveId: z.string().optional(),
});

/** An upload session as stored, except what the adapter keeps in attributes of its own (tail bytes, version). */
export type UploadSessionRecord = Omit<UploadSessionState, 'tail' | 'version'>;

export const uploadSessionRecordSchema: z.ZodType<UploadSessionRecord> = z.object({
  id: z.string(),
  owner: z.object({ tenantId: z.string(), objectId: z.string() }),
  target: z.union([
    z.object({
      kind: z.literal('file'),
      folder: z.union([z.object({ path: z.string() }), z.object({ itemId: z.string() })]),
      conflict: z.enum(['fail', 'replace', 'rename']),
    }),
    z.object({ kind: z.literal('attachment'), messageId: z.string(), contentType: z.string() }),
  ]),
  name: z.string(),
  size: z.number().int().nonnegative(),
  uploadUrl: z.string(),
  committed: z.number().int().nonnegative(),
  status: z.enum(['active', 'completed', 'cancelled', 'expired', 'failed']),
  expiresAt: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
  item: driveItemSchema.optional(),
  attachmentId: z.string().optional(),
});

/** Parses `value` against `schema`; anything else reads as null. */
export function parseRecord<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Parses a JSON string against `schema`; malformed JSON reads as null. */
export function parseJsonRecord<T>(schema: z.ZodType<T>, raw: string | null | undefined): T | null {
  if (raw === null || raw === undefined) return null;
  try {
    return parseRecord(schema, JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

/** What an existing, live idempotency record means for a new claim with `fingerprint`. */
export function claimAgainst(record: IdempotencyRecord, fingerprint: string): IdempotencyClaim {
  if (record.fingerprint !== fingerprint) return { state: 'mismatch' };
  if (record.state === 'done') return { state: 'completed', result: record.result ?? '' };
  return { state: 'in_progress' };
}
