import { createHmac } from 'node:crypto';

/**
 * The one redaction step every log line and audit event goes through (issue 8).
 *
 * Rules, in order of precedence for an object key:
 *  1. allow-listed key     → value passes (strings still get secret/email scrubbing)
 *  2. secret-looking key   → `[REDACTED]` (token, secret, password, code, authorization, cookie, …)
 *  3. tenant key           → HMAC-hashed or clear (configured)
 *  4. user-identifier key  → HMAC-hashed or clear (configured)
 *  5. personal-content key → strings become `[redacted:<hmac>]`, anything else `[redacted]`
 *  6. otherwise            → recurse; strings are scrubbed for bearer tokens, JWTs, OAuth
 *                            parameters and email addresses, then truncated.
 * Errors keep name and taxonomy fields; their message is fingerprinted (DomainError) or scrubbed
 * with quoted spans masked (anything else).
 */
export type IdentifierMode = 'hash' | 'clear';

export interface RedactionOptions {
  /** HMAC key for hashed identifiers and content fingerprints. Must be a secret in production. */
  hashSalt: string;
  tenantMode?: IdentifierMode;
  userIdMode?: IdentifierMode;
  /** Field names that may pass unmasked (case and `_`/`-` insensitive). */
  allow?: readonly string[];
  maxStringLength?: number;
  maxDepth?: number;
  maxArrayItems?: number;
  /** Keep error stack frames (debug level). Frames never carry argument values in V8. */
  includeStacks?: boolean;
}

export const REDACTED = '[REDACTED]';

/** Field names that look secret but carry only non-sensitive metadata. */
const DEFAULT_ALLOW = ['errorCode', 'statusCode', 'httpStatusCode', 'tokenType', 'tokenSource'];

const SECRET_KEY = /token|secret|password|passwd|pwd|code|authorization|cookie|apikey|assertion|verifier|credential|signature|privatekey|downloadurl|sessionid/;

const TENANT_KEYS = new Set(['tenantid', 'tenant', 'tid', 'tenanthash']);

const USER_ID_KEYS = new Set(['actor', 'objectid', 'oid', 'userid', 'userkey', 'sub', 'principalid']);

/** Fields that carry a person's data or a user's content, matched after normalizeKey. */
const PII_KEYS = new Set([
  'name', 'displayname', 'givenname', 'surname', 'firstname', 'lastname', 'fullname', 'username', 'nickname',
  'filename', 'foldername', 'itemname', 'attachmentname', 'originalname',
  'subject', 'body', 'bodypreview', 'uniquebody', 'content', 'contentbytes', 'text', 'snippet', 'summary', 'preview',
  'query', 'searchquery', 'querystring', 'q', 'search', 'filter', 'keywords',
  'recipients', 'torecipients', 'ccrecipients', 'bccrecipients', 'replyto', 'to', 'cc', 'bcc', 'from', 'sender',
  'attendees', 'organizer', 'email', 'emailaddress', 'emailaddresses', 'mail', 'userprincipalname', 'upn',
  'phone', 'mobilephone', 'businessphones', 'homephones', 'address', 'location', 'locations',
  'notes', 'description', 'comment', 'personalnotes', 'jobtitle', 'companyname', 'department', 'birthday',
  'path', 'filepath', 'itempath', 'parentpath', 'weburl', 'title',
]);

// Token shapes that must never survive in free text.
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const OAUTH_PARAM =
  /\b(code|refresh_token|access_token|id_token|client_secret|code_verifier|client_assertion|assertion|password|token|tempauth|sig)=([^&\s#"',;]+)/gi;
const JSON_SECRET =
  /"(code|refresh_token|access_token|id_token|client_secret|code_verifier|client_assertion|password|token)"\s*:\s*"[^"]*"/gi;
/** Quoted spans in error texts ("The item 'Budget.xlsx' already exists") usually quote user content. */
const QUOTED = /'[^']*'|"[^"]*"|‘[^’]*’|“[^”]*”/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export class Redactor {
  private readonly allow: ReadonlySet<string>;
  private readonly tenantMode: IdentifierMode;
  private readonly userIdMode: IdentifierMode;
  private readonly maxStringLength: number;
  private readonly maxDepth: number;
  private readonly maxArrayItems: number;
  private readonly includeStacks: boolean;

  constructor(private readonly options: RedactionOptions) {
    if (options.hashSalt.length === 0) throw new Error('Redactor needs a non-empty hashSalt');
    this.allow = new Set([...DEFAULT_ALLOW, ...(options.allow ?? [])].map(normalizeKey));
    this.tenantMode = options.tenantMode ?? 'hash';
    this.userIdMode = options.userIdMode ?? 'hash';
    this.maxStringLength = options.maxStringLength ?? 2048;
    this.maxDepth = options.maxDepth ?? 8;
    this.maxArrayItems = options.maxArrayItems ?? 50;
    this.includeStacks = options.includeStacks ?? false;
  }

  /** Redacts any value (fields object, error, array, string) into a JSON-safe copy. */
  redact(value: unknown): unknown {
    return this.walk(value, 0, new WeakSet());
  }

  /** Redacts a fields record; the result is always a plain object. */
  redactFields(fields: Record<string, unknown>): Record<string, unknown> {
    const out = this.walk(fields, 0, new WeakSet());
    return isPlainRecord(out) ? out : { value: out };
  }

  /** Scrubs free text: bearer tokens, JWTs, OAuth parameters, email addresses; then truncates. */
  scrubString(text: string): string {
    const scrubbed = text
      .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
      .replace(JWT, '[jwt]')
      .replace(JSON_SECRET, (_m, key: string) => `"${key}":"${REDACTED}"`)
      .replace(OAUTH_PARAM, (_m, key: string) => `${key}=${REDACTED}`)
      .replace(EMAIL, (email) => `[email:${this.fingerprint(email.toLowerCase())}]`);
    if (scrubbed.length <= this.maxStringLength) return scrubbed;
    return `${scrubbed.slice(0, this.maxStringLength)}…[truncated ${scrubbed.length - this.maxStringLength} chars]`;
  }

  /** The label a tenant gets in logs and metric attributes. */
  tenantLabel(tenantId: string): string {
    return this.tenantMode === 'clear' ? tenantId : `t_${this.fingerprint(tenantId.toLowerCase())}`;
  }

  /** The label a user (oid) or operator gets in logs and audit events. */
  userLabel(userId: string): string {
    return this.userIdMode === 'clear' ? userId : `u_${this.fingerprint(userId.toLowerCase())}`;
  }

  /** A short keyed hash: equal inputs correlate, the input cannot be read back without the salt. */
  fingerprint(value: string): string {
    return createHmac('sha256', this.options.hashSalt).update(value).digest('hex').slice(0, 16);
  }

  private walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
    if (value === null || value === undefined) return value;
    switch (typeof value) {
      case 'string':
        return this.scrubString(value);
      case 'number':
      case 'boolean':
        return value;
      case 'bigint':
        return value.toString();
      case 'function':
      case 'symbol':
        return undefined;
    }
    const obj = value as object;
    if (seen.has(obj)) return '[Circular]';
    if (depth >= this.maxDepth) return '[Truncated]';
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof Uint8Array || obj instanceof ArrayBuffer) return `[binary ${obj.byteLength} bytes]`;
    seen.add(obj);
    try {
      if (obj instanceof Error) return this.walkError(obj, depth, seen);
      if (Array.isArray(obj)) return this.walkArray(obj, depth, seen);
      if (obj instanceof Map) return this.walkEntries([...obj.entries()].map(([k, v]) => [String(k), v]), depth, seen);
      if (obj instanceof Set) return this.walkArray([...obj], depth, seen);
      return this.walkEntries(Object.entries(obj), depth, seen);
    } finally {
      // Only ancestors count as cycles; the same object twice in siblings is fine.
      seen.delete(obj);
    }
  }

  private walkArray(items: readonly unknown[], depth: number, seen: WeakSet<object>): unknown[] {
    const out = items.slice(0, this.maxArrayItems).map((item) => this.walk(item, depth + 1, seen));
    if (items.length > this.maxArrayItems) out.push(`[+${items.length - this.maxArrayItems} more]`);
    return out;
  }

  private walkEntries(entries: Array<[string, unknown]>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, raw] of entries) {
      const value = this.redactEntry(key, raw, depth, seen);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  private redactEntry(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
    const norm = normalizeKey(key);
    if (value === null || value === undefined) return value;
    if (this.allow.has(norm)) return this.walk(value, depth + 1, seen);
    if (SECRET_KEY.test(norm)) return REDACTED;
    if (TENANT_KEYS.has(norm)) return typeof value === 'string' ? this.tenantLabel(value) : REDACTED;
    if (USER_ID_KEYS.has(norm)) return typeof value === 'string' ? this.userLabel(value) : REDACTED;
    if (PII_KEYS.has(norm)) return typeof value === 'string' ? `[redacted:${this.fingerprint(value)}]` : '[redacted]';
    return this.walk(value, depth + 1, seen);
  }

  private walkError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
    const extra = error as unknown as Record<string, unknown>;
    // A DomainError's message is written for the user and may quote their content (a file name,
    // a subject); its category/code/request id say what happened, so the text becomes a fingerprint.
    const isTaxonomyError = typeof extra.category === 'string' && typeof extra.code === 'string';
    const message = isTaxonomyError
      ? `[redacted:${this.fingerprint(error.message)}]`
      : this.scrubString(error.message.replace(QUOTED, '[quoted]'));
    const out: Record<string, unknown> = { name: error.name, message };
    // Keep the taxonomy fields: they are what on-call searches for.
    for (const key of ['category', 'code', 'retryable', 'retryAfterSeconds', 'graphRequestId', 'status', 'statusCode']) {
      const v = extra[key];
      if (typeof v === 'string') out[key] = this.scrubString(v);
      else if (typeof v === 'number' || typeof v === 'boolean') out[key] = v;
    }
    if (this.includeStacks && typeof error.stack === 'string') {
      // The first stack line repeats the message; keep only the frames.
      out.stack = error.stack
        .split('\n')
        .filter((line) => line.trimStart().startsWith('at '))
        .map((line) => this.scrubString(line.trim()))
        .join('\n');
    }
    if (error.cause !== undefined) out.cause = this.walk(error.cause, depth + 1, seen);
    return out;
  }
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
