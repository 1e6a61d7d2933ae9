import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { DEFAULT_FAMILIES, parseFamilies, scopesFor, type Family } from '../domain/families.js';
import { isDomainError } from '../domain/errors.js';
import { MAX_FRAGMENT_BYTES_EXCLUSIVE, UPLOAD_ALIGNMENT_BYTES } from '../domain/upload-session.js';
import type { TelemetrySdkConfig } from './telemetry-sdk.js';
import { parseLocalKeyRing, type LocalKey } from '../adapters/crypto/local-key-encryptor.js';
import type { GraphFamily } from '../adapters/graph/graph-call-policy.js';
import { GRAPH_BACKOFF_SCOPES, type BackoffScope } from '../adapters/resilience/backoff-scope.js';

/** Reported as `service.version` unless OTEL_RESOURCE_ATTRIBUTES names one. */
const SERVICE_VERSION = '0.1.0';

/**
 * Every setting, read from the environment once and validated here (the only reader of
 * process.env). A bad value fails start-up with a message naming the variable.
 */
const list = z
  .string()
  .transform((s) => s.split(',').map((v) => v.trim()).filter((v) => v.length > 0));
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const MiB = 1024 * 1024;
/** `mail=4,search=2`: a positive integer per tool family. */
const familyMap = z
  .string()
  .transform((s, ctx) => {
    const out: Record<string, number> = {};
    for (const part of s.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
      const m = /^([a-z]+)=(\d+)$/.exec(part);
      if (!m?.[1] || !m[2] || Number(m[2]) < 1) {
        ctx.addIssue({ code: 'custom', message: `expected family=positive integer, got "${part}"` });
        return z.NEVER;
      }
      out[m[1]] = Number(m[2]);
    }
    return out;
  });
/** `mail=tenant,files=mailbox`: where a Graph 429 holds callers back, for families Graph knows. */
const backoffScopeMap = z
  .string()
  .transform((s, ctx) => {
    const out: Partial<Record<GraphFamily, BackoffScope>> = {};
    for (const part of s.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
      const m = /^([a-z]+)=(mailbox|tenant)$/.exec(part);
      const family = m?.[1];
      if (!m?.[2] || family === undefined || !Object.hasOwn(GRAPH_BACKOFF_SCOPES, family)) {
        const families = Object.keys(GRAPH_BACKOFF_SCOPES).join('|');
        ctx.addIssue({ code: 'custom', message: `expected (${families})=(mailbox|tenant), got "${part}"` });
        return z.NEVER;
      }
      out[family as GraphFamily] = m[2] as BackoffScope;
    }
    return out;
  });
/** `<tenantId>=<perSecond>:<burst>,...`: per-tenant rate-limit overrides. */
const tenantLimits = z
  .string()
  .transform((s, ctx) => {
    const out: Record<string, { perSecond: number; burst: number }> = {};
    for (const part of s.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
      const m = /^([A-Za-z0-9.-]+)=(\d+(?:\.\d+)?):(\d+)$/.exec(part);
      if (!m?.[1] || !m[2] || !m[3] || Number(m[2]) <= 0 || Number(m[3]) < 1) {
        ctx.addIssue({ code: 'custom', message: `expected tenantId=perSecond:burst, got "${part}"` });
        return z.NEVER;
      }
      out[m[1]] = { perSecond: Number(m[2]), burst: Number(m[3]) };
    }
    return out;
  });
const tableName = z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  GATEWAY_MODE: z.enum(['sandbox', 'live']).default('sandbox'),
  HOST: z.string().default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  PUBLIC_BASE_URL: z.url().optional(),
  ALLOWED_HOSTS: list.default([]),
  ALLOWED_ORIGINS: list.default([]),
  ALLOW_LOOPBACK: bool.default(true),
  HTTP_BODY_MAX_BYTES: int(1024, 64 * MiB).default(8 * MiB),
  HEAP_RECLAIM_AFTER_BYTES: int(0, 1024 * MiB).default(24 * MiB),
  SHUTDOWN_DRAIN_SECONDS: int(0, 600).default(25),

  GRAPH_BASE_URL: z.url().default('https://graph.microsoft.com/v1.0'),
  GRAPH_TIMEOUT_MS: int(100, 300_000).default(30_000),

  MAIL_BODY_MAX_CHARS: int(100, 1_000_000).default(20_000),
  INLINE_CONTENT_MAX_BYTES: int(1024, 32 * MiB).default(4 * MiB),
  SIMPLE_UPLOAD_MAX_BYTES: int(1024, 250 * MiB).default(4 * MiB),
  // Graph takes at most 3 MB of attachments inline with a message.
  MAIL_ATTACHMENTS_MAX_BYTES: int(1024, 3 * MiB).default(3 * MiB),

  TOOL_FAMILIES: list.default([...DEFAULT_FAMILIES]),
  READ_ONLY: bool.default(false),
  TEAMS_ENABLED: bool.default(false),
  TOOL_DISCOVERY_MODE: bool.default(false),
  UPLOAD_FRAGMENT_BYTES: int(UPLOAD_ALIGNMENT_BYTES, MAX_FRAGMENT_BYTES_EXCLUSIVE - 1)
    .refine((n) => n % UPLOAD_ALIGNMENT_BYTES === 0, 'must be a multiple of 327680 (320 KiB)')
    .default(32 * UPLOAD_ALIGNMENT_BYTES),
  UPLOAD_MAX_FILE_BYTES: int(1, Number.MAX_SAFE_INTEGER).default(250 * 1024 * MiB),
  UPLOAD_FRAGMENT_TIMEOUT_MS: int(1_000, 900_000).default(120_000),
  DOWNLOAD_LINK_TTL_SECONDS: int(10, 86_400).default(300),
  DOWNLOAD_LINK_SECRET: z.string().min(32).optional(),

  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  LOG_TENANT_MODE: z.enum(['hash', 'clear']).default('hash'),
  LOG_USER_ID_MODE: z.enum(['hash', 'clear']).default('hash'),
  LOG_HASH_SALT: z.string().min(16).optional(),
  LOG_REDACTION_ALLOW: list.default([]),
  AUDIT_LOG_DESTINATION: z.enum(['stdout', 'file']).default('stdout'),
  AUDIT_LOG_DIR: z.string().default('./audit-logs'),
  AUDIT_RETENTION_DAYS: int(1, 3650).default(90),

  // Standard OTel variables, as the Terraform module sets them. Unset OTEL_SDK_DISABLED means
  // off in sandbox mode and on in live mode.
  OTEL_SDK_DISABLED: bool.optional(),
  OTEL_SERVICE_NAME: z.string().default('m365-mcp-gateway'),
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
  DEPLOY_ENV: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().default('http://localhost:4318'),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.literal('http/protobuf').default('http/protobuf'),
  OTEL_TRACES_SAMPLER_RATIO: z.coerce.number().min(0).max(1).default(1),
  OTEL_METRIC_EXPORT_INTERVAL_MS: int(1000, 300_000).default(10_000),
  METRICS_PROMETHEUS_ENABLED: bool.default(false),

  GRAPH_CONCURRENCY: int(1, 10_000).default(32),
  GRAPH_CONCURRENCY_BY_FAMILY: familyMap.default({}),
  GRAPH_QUEUE_SIZE: int(0, 100_000).default(256),
  GRAPH_TIMEOUT_MS_BY_FAMILY: familyMap.default({}),
  GRAPH_BACKOFF_SCOPE_BY_FAMILY: backoffScopeMap.default({}),
  GRAPH_RETRY_MAX_ATTEMPTS: int(1, 10).default(4),
  GRAPH_RETRY_BASE_DELAY_MS: int(1, 60_000).default(200),
  GRAPH_RETRY_MAX_DELAY_MS: int(1, 300_000).default(10_000),
  GRAPH_RETRY_AFTER_MAX_SECONDS: int(0, 3600).default(10),
  GRAPH_BACKOFF_MULTIPLIER: z.coerce.number().min(1).max(100).default(1),
  GRAPH_RETRY_BUDGET_RATIO: z.coerce.number().min(0).max(10).default(0.2),
  GRAPH_RETRY_BUDGET_MIN_PER_SECOND: z.coerce.number().min(0).max(10_000).default(5),
  GRAPH_RETRY_BUDGET_CAPACITY: int(1, 1_000_000).default(50),
  GRAPH_BREAKER_FAILURES: int(1, 10_000).default(5),
  GRAPH_BREAKER_HALF_OPEN_MS: int(100, 3_600_000).default(10_000),

  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_TENANT_PER_SECOND: z.coerce.number().positive().default(200),
  RATE_LIMIT_TENANT_BURST: int(1, 1_000_000).default(400),
  RATE_LIMIT_USER_PER_SECOND: z.coerce.number().positive().default(20),
  RATE_LIMIT_USER_BURST: int(1, 1_000_000).default(40),
  RATE_LIMIT_TENANT_OVERRIDES: tenantLimits.default({}),

  IDEMPOTENCY_TTL_SECONDS: int(60, 30 * 86_400).default(86_400),
  IDEMPOTENCY_WAIT_MS: int(0, 120_000).default(10_000),

  FEATURES_DISABLED: list.default([]),
  FEATURE_FLAGS_REFRESH_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),

  // Storage (issue 5): in-memory stores by default; `aws` = DynamoDB + Redis + KMS (docs/storage.md).
  STORAGE: z.enum(['memory', 'aws']).default('memory'),
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1').optional(),
  // Static credentials for emulators only; in AWS the task role (default provider chain) is used.
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  DYNAMODB_ENDPOINT: z.url().optional(),
  DYNAMODB_TABLE_TOKENS: tableName.optional(),
  DYNAMODB_TABLE_SESSIONS: tableName.optional(),
  DYNAMODB_TABLE_IDEMPOTENCY: tableName.optional(),
  DYNAMODB_TABLE_LOCKS: tableName.optional(),
  DYNAMODB_TABLE_FLAGS: tableName.optional(),
  DYNAMODB_TABLE_OAUTH: tableName.optional(),
  DYNAMODB_TABLE_UPLOADS: tableName.optional(),
  DYNAMODB_REQUEST_TIMEOUT_MS: int(100, 60_000).default(2_000),
  DYNAMODB_RETRIES: int(0, 10).default(3),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  REDIS_CLUSTER_NODES: list.pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each node must be host:port'))).optional(),
  REDIS_TLS: bool.optional(),
  REDIS_USERNAME: z.string().optional(),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_KEY_PREFIX: z.string().max(64).optional(),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 60_000).default(500),
  REDIS_BREAKER_FAILURES: int(1, 1_000).default(3),
  REDIS_BREAKER_HALF_OPEN_MS: int(100, 600_000).default(1_000),
  SESSION_REDIS_TTL_CAP_MS: int(1_000, 7 * 86_400_000).default(60_000),
  ACCESS_TOKEN_REDIS_TTL_CAP_MS: int(1_000, 3_600_000).default(30_000),
  KMS_KEY_ID: z.string().min(1).optional(),
  KMS_ENDPOINT: z.url().optional(),
  KMS_DATA_KEY_MAX_AGE_MS: int(0, 86_400_000).default(300_000),
  KMS_DATA_KEY_MAX_USES: int(0, 1_000_000).default(1_000),
  KMS_DATA_KEY_CACHE_ENTRIES: int(1, 1_000_000).default(10_000),
  KMS_READINESS_CACHE_MS: int(0, 600_000).default(30_000),
  LOCAL_ENCRYPTION_KEYS: z.string().optional(),
  LOCAL_ENCRYPTION_KEY_FILE: z.string().optional(),

  SANDBOX_SEED: int(0, 2 ** 31).default(42),
  SANDBOX_PORT: int(0, 65535).default(0),
  SANDBOX_SECRET: z.string().min(16).optional(),
  SANDBOX_EMBEDDED: bool.default(true),
  SANDBOX_IDP_PORT: int(0, 65535).default(0),

  // Authentication (docs/auth.md). Durations in seconds unless the name says otherwise.
  AUTH_MODE: z.enum(['dev-token', 'oauth']).optional(),
  AUTH_SCOPES: list.optional(),
  AUTH_ACCESS_TOKEN_TTL_SECONDS: int(60, 24 * 3600).default(600),
  AUTH_REFRESH_TOKEN_TTL_SECONDS: int(300, 365 * 86400).default(30 * 86400),
  AUTH_GRANT_TTL_SECONDS: int(300, 365 * 86400).default(90 * 86400),
  AUTH_CODE_TTL_SECONDS: int(10, 600).default(60),
  AUTH_PENDING_TTL_SECONDS: int(60, 3600).default(600),
  AUTH_CLOCK_SKEW_SECONDS: int(0, 600).default(60),
  AUTH_SESSION_TTL_SECONDS: int(60, 7 * 86400).default(8 * 3600),
  AUTH_DYNAMIC_REGISTRATION: bool.default(true),
  AUTH_DYNAMIC_CLIENT_TTL_SECONDS: int(3600, 365 * 86400).default(30 * 86400),
  AUTH_CLIENT_METADATA_DOCUMENTS: bool.default(true),
  AUTH_METADATA_ALLOW_PRIVATE: bool.optional(),
  AUTH_METADATA_TIMEOUT_MS: int(100, 30_000).default(3000),
  AUTH_METADATA_MAX_BYTES: int(512, 1024 * 1024).default(5 * 1024),
  AUTH_METADATA_CACHE_SECONDS: int(0, 86400).default(600),
  AUTH_PREREGISTERED_CLIENTS: z.string().default('[]'),
  AUTH_ALLOWED_TENANTS: list.optional(),
  AUTH_CONSENT_POLICY: z.enum(['user', 'admin']).default('user'),
  AUTH_ADMIN_CONSENTED_TENANTS: list.default([]),
  AUTH_MAX_BODY_BYTES: int(1024, 1024 * 1024).default(16 * 1024),
  AUTH_SECURE_COOKIES: bool.optional(),

  ENTRA_CLIENT_ID: z.string().min(1).optional(),
  ENTRA_CLIENT_SECRET: z.string().min(1).optional(),
  ENTRA_AUTHORITY_HOST: z.url().default('https://login.microsoftonline.com'),
  ENTRA_SIGN_IN_TENANT: z.string().regex(/^[A-Za-z0-9.-]+$/).default('organizations'),
  ENTRA_TIMEOUT_MS: int(500, 60_000).default(10_000),
  TOKEN_CUSTODY_TTL_SECONDS: int(3600, 365 * 86400).default(90 * 86400),
  TOKEN_REFRESH_AHEAD_SECONDS: int(0, 3600).default(300),
  TOKEN_REFRESH_JITTER_SECONDS: int(0, 3600).default(120),
  TOKEN_REFRESH_LOCK_TTL_MS: int(1000, 120_000).default(15_000),
  TOKEN_REFRESH_LOCK_WAIT_MS: int(100, 120_000).default(10_000),
  ENTRA_BREAKER_FAILURES: int(1, 100).default(5),
  ENTRA_BACKOFF_INITIAL_MS: int(100, 600_000).default(1000),
  ENTRA_BACKOFF_MAX_MS: int(100, 3_600_000).default(60_000),
});

const preregisteredClients = z
  .array(z.object({ client_id: z.string().min(1).max(200), client_name: z.string().min(1).max(100), redirect_uris: z.array(z.string().min(1)).min(1) }))
  .max(100);

export type Env = z.input<typeof envSchema>;

export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  mode: 'sandbox' | 'live';
  http: {
    host: string;
    port: number;
    publicBaseUrl?: string;
    allowedHosts: string[];
    allowedOrigins: string[];
    allowLoopback: boolean;
    bodyMaxBytes: number;
    /** A major GC after this many bytes of large `/mcp` bodies (needs --expose-gc; 0 = never). */
    heapReclaimAfterBytes: number;
    shutdownDrainSeconds: number;
  };
  graph: { baseUrl: string; timeoutMs: number };
  limits: {
    mailBodyMaxChars: number;
    inlineContentMaxBytes: number;
    simpleUploadMaxBytes: number;
    mailAttachmentsMaxBytes: number;
  };
  /** The deployment's profile: which tool families exist, read-only, discovery mode. */
  tools: { families: Family[]; readOnly: boolean; discoveryMode: boolean };
  uploads: { fragmentBytes: number; maxFileBytes: number; fragmentTimeoutMs: number };
  downloads: { linkTtlSeconds: number; linkSecret: string };
  log: {
    level: 'error' | 'warn' | 'info' | 'debug';
    tenantMode: 'hash' | 'clear';
    userIdMode: 'hash' | 'clear';
    /** HMAC key for hashed identifiers; must be shared by all replicas so hashes correlate. */
    hashSalt: string;
    redactionAllow: string[];
  };
  audit: { destination: 'stdout' | 'file'; directory: string; retentionDays: number };
  telemetry: TelemetrySdkConfig;
  resilience: ResilienceConfig;
  rateLimits: RateLimitConfig;
  idempotency: { ttlSeconds: number; waitMs: number };
  features: { disabled: string[]; refreshSeconds: number };
  /** The shared Redis: with STORAGE=aws always; in memory mode when REDIS_URL/REDIS_CLUSTER_NODES is set. */
  redis?: RedisConfig;
  /** `embedded: false` uses a sandbox already running at GRAPH_BASE_URL (shared by several gateways). */
  sandbox: { seed: number; port: number; secret: string; embedded: boolean; idpPort: number };
  auth: AuthConfig;
  entra: EntraConfig;
  storage: StorageConfig;
}

export interface AuthConfig {
  /** `dev-token`: sandbox-only signed test tokens. `oauth`: the MCP authorization server in front of Entra. */
  mode: 'dev-token' | 'oauth';
  scopes: string[];
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  grantTtlMs: number;
  codeTtlMs: number;
  pendingTtlMs: number;
  clockSkewMs: number;
  sessionTtlMs: number;
  dynamicRegistration: boolean;
  dynamicClientTtlMs: number;
  clientMetadataDocuments: boolean;
  metadataFetch: { allowPrivateNetworks: boolean; timeoutMs: number; maxBytes: number; cacheTtlMs: number };
  preregisteredClients: { clientId: string; clientName: string; redirectUris: string[] }[];
  tenantPolicy: { allowedTenants: string[] | '*'; consentPolicy: 'user' | 'admin'; adminConsentedTenants: string[] };
  maxBodyBytes: number;
  secureCookies: boolean;
  custodyTtlMs: number;
  refresh: {
    refreshAheadMs: number;
    refreshJitterMs: number;
    clockSkewMs: number;
    lockTtlMs: number;
    lockWaitMs: number;
    breakAfterFailures: number;
    backoffInitialMs: number;
    backoffMaxMs: number;
  };
}

export interface EntraConfig {
  /** Absent in sandbox mode: the embedded sandbox IdP registers the gateway itself. */
  clientId?: string;
  clientSecret?: string;
  authorityHost: string;
  signInTenant: string;
  timeoutMs: number;
}

export type StorageConfig = MemoryStorageConfig | AwsStorageConfig;

export interface RedisConfig {
  url: string;
  /** Non-empty: cluster mode, seeded from these `host:port` nodes (then `url` is ignored). */
  clusterNodes: string[];
  tls: boolean;
  username?: string;
  password?: string;
  keyPrefix: string;
  commandTimeoutMs: number;
  breakerFailures: number;
  breakerHalfOpenMs: number;
}

export interface MemoryStorageConfig {
  kind: 'memory';
  /** Current key first; `generated` when none was configured (sealed data dies with the process, as do the stores). */
  localKeys: LocalKey[];
  localKeysGenerated: boolean;
}

export interface AwsStorageConfig {
  kind: 'aws';
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  dynamo: {
    endpoint?: string;
    tables: { tokens: string; sessions: string; idempotency: string; locks: string; flags: string; oauth: string; uploads: string };
    requestTimeoutMs: number;
    retries: number;
  };
  /** Longest a session stays cached in Redis; DynamoDB holds it for its lifetime. */
  sessionRedisTtlCapMs: number;
  /** Longest an access-token record stays cached in Redis: bounds how long a revocation Redis missed can linger. */
  accessTokenRedisTtlCapMs: number;
  kms: {
    keyId: string;
    endpoint?: string;
    dataKeyMaxAgeMs: number;
    dataKeyMaxUses: number;
    dataKeyCacheEntries: number;
    /** How long /readyz reuses the last KMS probe result (0: probe every time). */
    readinessCacheMs: number;
  };
}

export interface ResilienceConfig {
  concurrency: number;
  concurrencyByFamily: Record<string, number>;
  queueSize: number;
  /** Per-attempt deadline by family; families not listed use graph.timeoutMs. */
  timeoutMsByFamily: Record<string, number>;
  /** Overrides of where a 429 holds callers back (the caller's mailbox or tenant); see GRAPH_BACKOFF_SCOPES. */
  backoffScopeByFamily: Partial<Record<GraphFamily, BackoffScope>>;
  retry: {
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    /** Longest Retry-After (or mailbox/tenant back-off) one call waits out; longer ones fail fast as `throttled`. */
    retryAfterMaxSeconds: number;
    backoffMultiplier: number;
    budget: { ratio: number; minPerSecond: number; capacity: number };
  };
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number };
}

export interface BucketConfig {
  perSecond: number;
  burst: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  tenant: BucketConfig;
  user: BucketConfig;
  tenantOverrides: Record<string, BucketConfig>;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.GATEWAY_MODE === 'sandbox' && !e.SANDBOX_EMBEDDED && (!e.SANDBOX_SECRET || !env.GRAPH_BASE_URL)) {
    throw new ConfigError('SANDBOX_EMBEDDED: an external sandbox needs GRAPH_BASE_URL and its SANDBOX_SECRET.');
  }
  if (e.GATEWAY_MODE === 'sandbox' && e.NODE_ENV === 'production') {
    throw new ConfigError('GATEWAY_MODE: sandbox mode refuses to start with NODE_ENV=production; set GATEWAY_MODE=live.');
  }
  const resource = parseKeyPairsIntoRecord(e.OTEL_RESOURCE_ATTRIBUTES);
  const auth = authConfig(e, toolFamilies(e.TOOL_FAMILIES, e.TEAMS_ENABLED));
  return {
    nodeEnv: e.NODE_ENV,
    tools: { families: toolFamilies(e.TOOL_FAMILIES, e.TEAMS_ENABLED), readOnly: e.READ_ONLY, discoveryMode: e.TOOL_DISCOVERY_MODE },
    mode: e.GATEWAY_MODE,
    http: {
      host: e.HOST,
      port: e.PORT,
      ...(e.PUBLIC_BASE_URL ? { publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/$/, '') } : {}),
      allowedHosts: e.ALLOWED_HOSTS,
      allowedOrigins: e.ALLOWED_ORIGINS,
      allowLoopback: e.ALLOW_LOOPBACK,
      bodyMaxBytes: e.HTTP_BODY_MAX_BYTES,
      heapReclaimAfterBytes: e.HEAP_RECLAIM_AFTER_BYTES,
      shutdownDrainSeconds: e.SHUTDOWN_DRAIN_SECONDS,
    },
    graph: { baseUrl: e.GRAPH_BASE_URL.replace(/\/$/, ''), timeoutMs: e.GRAPH_TIMEOUT_MS },
    limits: {
      mailBodyMaxChars: e.MAIL_BODY_MAX_CHARS,
      inlineContentMaxBytes: e.INLINE_CONTENT_MAX_BYTES,
      simpleUploadMaxBytes: e.SIMPLE_UPLOAD_MAX_BYTES,
      mailAttachmentsMaxBytes: e.MAIL_ATTACHMENTS_MAX_BYTES,
    },
    uploads: { fragmentBytes: e.UPLOAD_FRAGMENT_BYTES, maxFileBytes: e.UPLOAD_MAX_FILE_BYTES, fragmentTimeoutMs: e.UPLOAD_FRAGMENT_TIMEOUT_MS },
    // A per-process secret works for one replica; several replicas must share DOWNLOAD_LINK_SECRET.
    downloads: { linkTtlSeconds: e.DOWNLOAD_LINK_TTL_SECONDS, linkSecret: e.DOWNLOAD_LINK_SECRET ?? randomBytes(32).toString('base64url') },
    log: {
      level: e.LOG_LEVEL,
      tenantMode: e.LOG_TENANT_MODE,
      userIdMode: e.LOG_USER_ID_MODE,
      // Without a configured salt, hashes correlate only within one process (set it in production).
      hashSalt: e.LOG_HASH_SALT ?? randomBytes(24).toString('base64url'),
      redactionAllow: e.LOG_REDACTION_ALLOW,
    },
    audit: { destination: e.AUDIT_LOG_DESTINATION, directory: e.AUDIT_LOG_DIR, retentionDays: e.AUDIT_RETENTION_DAYS },
    telemetry: {
      enabled: e.OTEL_SDK_DISABLED === undefined ? e.GATEWAY_MODE === 'live' : !e.OTEL_SDK_DISABLED,
      serviceName: e.OTEL_SERVICE_NAME,
      serviceVersion: resource['service.version'] ?? SERVICE_VERSION,
      environment: resource['deployment.environment.name'] ?? resource['deployment.environment'] ?? e.DEPLOY_ENV ?? 'local',
      resourceAttributes: resource,
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
      tracesSamplerRatio: e.OTEL_TRACES_SAMPLER_RATIO,
      metricExportIntervalMs: e.OTEL_METRIC_EXPORT_INTERVAL_MS,
      prometheusEnabled: e.METRICS_PROMETHEUS_ENABLED,
    },
    resilience: {
      concurrency: e.GRAPH_CONCURRENCY,
      concurrencyByFamily: e.GRAPH_CONCURRENCY_BY_FAMILY,
      queueSize: e.GRAPH_QUEUE_SIZE,
      timeoutMsByFamily: e.GRAPH_TIMEOUT_MS_BY_FAMILY,
      backoffScopeByFamily: e.GRAPH_BACKOFF_SCOPE_BY_FAMILY,
      retry: {
        maxAttempts: e.GRAPH_RETRY_MAX_ATTEMPTS,
        baseDelayMs: e.GRAPH_RETRY_BASE_DELAY_MS,
        maxDelayMs: e.GRAPH_RETRY_MAX_DELAY_MS,
        retryAfterMaxSeconds: e.GRAPH_RETRY_AFTER_MAX_SECONDS,
        backoffMultiplier: e.GRAPH_BACKOFF_MULTIPLIER,
        budget: {
          ratio: e.GRAPH_RETRY_BUDGET_RATIO,
          minPerSecond: e.GRAPH_RETRY_BUDGET_MIN_PER_SECOND,
          capacity: e.GRAPH_RETRY_BUDGET_CAPACITY,
        },
      },
      breaker: { consecutiveFailures: e.GRAPH_BREAKER_FAILURES, halfOpenAfterMs: e.GRAPH_BREAKER_HALF_OPEN_MS },
    },
    rateLimits: {
      enabled: e.RATE_LIMIT_ENABLED,
      tenant: { perSecond: e.RATE_LIMIT_TENANT_PER_SECOND, burst: e.RATE_LIMIT_TENANT_BURST },
      user: { perSecond: e.RATE_LIMIT_USER_PER_SECOND, burst: e.RATE_LIMIT_USER_BURST },
      tenantOverrides: e.RATE_LIMIT_TENANT_OVERRIDES,
    },
    idempotency: { ttlSeconds: e.IDEMPOTENCY_TTL_SECONDS, waitMs: e.IDEMPOTENCY_WAIT_MS },
    features: { disabled: e.FEATURES_DISABLED, refreshSeconds: e.FEATURE_FLAGS_REFRESH_SECONDS },
    ...(e.REDIS_URL || e.REDIS_CLUSTER_NODES || e.STORAGE === 'aws' ? { redis: redisConfig(e) } : {}),
    // A random secret per process is fine: sandbox tokens need not survive a restart.
    sandbox: {
      seed: e.SANDBOX_SEED,
      port: e.SANDBOX_PORT,
      secret: e.SANDBOX_SECRET ?? randomBytes(24).toString('base64url'),
      embedded: e.SANDBOX_EMBEDDED,
      idpPort: e.SANDBOX_IDP_PORT,
    },
    auth,
    entra: {
      ...(e.ENTRA_CLIENT_ID ? { clientId: e.ENTRA_CLIENT_ID } : {}),
      ...(e.ENTRA_CLIENT_SECRET ? { clientSecret: e.ENTRA_CLIENT_SECRET } : {}),
      authorityHost: e.ENTRA_AUTHORITY_HOST.replace(/\/$/, ''),
      signInTenant: e.ENTRA_SIGN_IN_TENANT,
      timeoutMs: e.ENTRA_TIMEOUT_MS,
    },
    storage: storageConfig(e),
  };
}

type ParsedEnv = z.output<typeof envSchema>;

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Auth settings with the cross-field rules production depends on. */
function authConfig(e: ParsedEnv, families: Family[]): AuthConfig {
  const live = e.GATEWAY_MODE === 'live';
  const mode = e.AUTH_MODE ?? (live ? 'oauth' : 'dev-token');
  if (live && mode !== 'oauth') throw new ConfigError('AUTH_MODE: live mode requires oauth (dev tokens exist only in the sandbox).');
  if (live && (!e.ENTRA_CLIENT_ID || !e.ENTRA_CLIENT_SECRET)) throw new ConfigError('ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET are required in live mode.');
  if (live && !e.PUBLIC_BASE_URL) throw new ConfigError('PUBLIC_BASE_URL is required in live mode (it is the OAuth issuer and resource).');
  if (live && !e.AUTH_ALLOWED_TENANTS) throw new ConfigError('AUTH_ALLOWED_TENANTS is required in live mode (comma-separated tenant ids).');
  const allowed = e.AUTH_ALLOWED_TENANTS ?? ['*'];
  if (allowed.includes('*') && e.NODE_ENV === 'production') throw new ConfigError('AUTH_ALLOWED_TENANTS: "*" is refused with NODE_ENV=production.');
  const allowPrivate = e.AUTH_METADATA_ALLOW_PRIVATE ?? e.NODE_ENV !== 'production';
  if (allowPrivate && e.NODE_ENV === 'production') throw new ConfigError('AUTH_METADATA_ALLOW_PRIVATE: refused with NODE_ENV=production (SSRF).');
  let clients: z.output<typeof preregisteredClients>;
  try {
    clients = preregisteredClients.parse(JSON.parse(e.AUTH_PREREGISTERED_CLIENTS));
  } catch {
    throw new ConfigError('AUTH_PREREGISTERED_CLIENTS: expected a JSON array of {client_id, client_name, redirect_uris}.');
  }
  const secureCookies = e.AUTH_SECURE_COOKIES ?? (e.PUBLIC_BASE_URL ?? '').startsWith('https://');
  const s = 1000;
  return {
    mode,
    // By default exactly what the deployment's tool profile needs; MSAL adds the OIDC scopes itself.
    scopes: e.AUTH_SCOPES ?? scopesFor({ families, readOnly: e.READ_ONLY }).filter((scope) => !OIDC_SCOPES.has(scope)),
    accessTokenTtlMs: e.AUTH_ACCESS_TOKEN_TTL_SECONDS * s,
    refreshTokenTtlMs: e.AUTH_REFRESH_TOKEN_TTL_SECONDS * s,
    grantTtlMs: e.AUTH_GRANT_TTL_SECONDS * s,
    codeTtlMs: e.AUTH_CODE_TTL_SECONDS * s,
    pendingTtlMs: e.AUTH_PENDING_TTL_SECONDS * s,
    clockSkewMs: e.AUTH_CLOCK_SKEW_SECONDS * s,
    sessionTtlMs: e.AUTH_SESSION_TTL_SECONDS * s,
    dynamicRegistration: e.AUTH_DYNAMIC_REGISTRATION,
    dynamicClientTtlMs: e.AUTH_DYNAMIC_CLIENT_TTL_SECONDS * s,
    clientMetadataDocuments: e.AUTH_CLIENT_METADATA_DOCUMENTS,
    metadataFetch: { allowPrivateNetworks: allowPrivate, timeoutMs: e.AUTH_METADATA_TIMEOUT_MS, maxBytes: e.AUTH_METADATA_MAX_BYTES, cacheTtlMs: e.AUTH_METADATA_CACHE_SECONDS * s },
    preregisteredClients: clients.map((c) => ({ clientId: c.client_id, clientName: c.client_name, redirectUris: c.redirect_uris })),
    tenantPolicy: { allowedTenants: allowed.includes('*') ? '*' : allowed, consentPolicy: e.AUTH_CONSENT_POLICY, adminConsentedTenants: e.AUTH_ADMIN_CONSENTED_TENANTS },
    maxBodyBytes: e.AUTH_MAX_BODY_BYTES,
    secureCookies,
    custodyTtlMs: e.TOKEN_CUSTODY_TTL_SECONDS * s,
    refresh: {
      refreshAheadMs: e.TOKEN_REFRESH_AHEAD_SECONDS * s,
      refreshJitterMs: e.TOKEN_REFRESH_JITTER_SECONDS * s,
      clockSkewMs: e.AUTH_CLOCK_SKEW_SECONDS * s,
      lockTtlMs: e.TOKEN_REFRESH_LOCK_TTL_MS,
      lockWaitMs: e.TOKEN_REFRESH_LOCK_WAIT_MS,
      breakAfterFailures: e.ENTRA_BREAKER_FAILURES,
      backoffInitialMs: e.ENTRA_BACKOFF_INITIAL_MS,
      backoffMaxMs: e.ENTRA_BACKOFF_MAX_MS,
    },
  };
}

function storageConfig(e: ParsedEnv): StorageConfig {
  if (e.STORAGE === 'memory') return { kind: 'memory', ...localKeys(e) };
  const missing = (['AWS_REGION', 'KMS_KEY_ID'] as const).filter((name) => e[name] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${missing.map((name) => `  ${name}: required when STORAGE=aws`).join('\n')}`);
  }
  if ((e.AWS_ACCESS_KEY_ID === undefined) !== (e.AWS_SECRET_ACCESS_KEY === undefined)) {
    throw new ConfigError('Invalid configuration:\n  AWS_ACCESS_KEY_ID: set together with AWS_SECRET_ACCESS_KEY, or neither (task role)');
  }
  const env = e.DEPLOY_ENV ?? 'local';
  const table = (name: string, configured: string | undefined): string => configured ?? `m365-gateway-${env}-${name}`;
  return {
    kind: 'aws',
    region: e.AWS_REGION ?? '',
    ...(e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: e.AWS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SECRET_ACCESS_KEY } }
      : {}),
    dynamo: {
      ...(e.DYNAMODB_ENDPOINT ? { endpoint: e.DYNAMODB_ENDPOINT } : {}),
      tables: {
        tokens: table('tokens', e.DYNAMODB_TABLE_TOKENS),
        sessions: table('sessions', e.DYNAMODB_TABLE_SESSIONS),
        idempotency: table('idempotency', e.DYNAMODB_TABLE_IDEMPOTENCY),
        locks: table('locks', e.DYNAMODB_TABLE_LOCKS),
        flags: table('flags', e.DYNAMODB_TABLE_FLAGS),
        oauth: table('oauth', e.DYNAMODB_TABLE_OAUTH),
        uploads: table('uploads', e.DYNAMODB_TABLE_UPLOADS),
      },
      requestTimeoutMs: e.DYNAMODB_REQUEST_TIMEOUT_MS,
      retries: e.DYNAMODB_RETRIES,
    },
    sessionRedisTtlCapMs: e.SESSION_REDIS_TTL_CAP_MS,
    accessTokenRedisTtlCapMs: e.ACCESS_TOKEN_REDIS_TTL_CAP_MS,
    kms: {
      keyId: e.KMS_KEY_ID ?? '',
      ...(e.KMS_ENDPOINT ? { endpoint: e.KMS_ENDPOINT } : {}),
      dataKeyMaxAgeMs: e.KMS_DATA_KEY_MAX_AGE_MS,
      dataKeyMaxUses: e.KMS_DATA_KEY_MAX_USES,
      dataKeyCacheEntries: e.KMS_DATA_KEY_CACHE_ENTRIES,
      readinessCacheMs: e.KMS_READINESS_CACHE_MS,
    },
  };
}

function redisConfig(e: ParsedEnv): RedisConfig {
  const url = e.REDIS_URL ?? 'redis://127.0.0.1:6379';
  return {
    url,
    clusterNodes: e.REDIS_CLUSTER_NODES ?? [],
    tls: e.REDIS_TLS ?? url.startsWith('rediss://'),
    ...(e.REDIS_USERNAME ? { username: e.REDIS_USERNAME } : {}),
    ...(e.REDIS_PASSWORD ? { password: e.REDIS_PASSWORD } : {}),
    // Per environment when deployed, so environments sharing a Redis never meet.
    keyPrefix: e.REDIS_KEY_PREFIX ?? (e.DEPLOY_ENV ? `m365:${e.DEPLOY_ENV}:` : 'm365:'),
    commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    breakerFailures: e.REDIS_BREAKER_FAILURES,
    breakerHalfOpenMs: e.REDIS_BREAKER_HALF_OPEN_MS,
  };
}

/** The local key ring from LOCAL_ENCRYPTION_KEYS or LOCAL_ENCRYPTION_KEY_FILE; a random key when neither is set. */
function localKeys(e: ParsedEnv): { localKeys: LocalKey[]; localKeysGenerated: boolean } {
  if (e.LOCAL_ENCRYPTION_KEYS && e.LOCAL_ENCRYPTION_KEY_FILE) {
    throw new ConfigError('Invalid configuration:\n  LOCAL_ENCRYPTION_KEYS: set it or LOCAL_ENCRYPTION_KEY_FILE, not both');
  }
  const [name, spec] = e.LOCAL_ENCRYPTION_KEY_FILE
    ? ['LOCAL_ENCRYPTION_KEY_FILE', readKeyFile(e.LOCAL_ENCRYPTION_KEY_FILE)]
    : ['LOCAL_ENCRYPTION_KEYS', e.LOCAL_ENCRYPTION_KEYS];
  if (spec === undefined) return { localKeys: [{ id: 'generated', key: new Uint8Array(randomBytes(32)) }], localKeysGenerated: true };
  try {
    return { localKeys: parseLocalKeyRing(spec), localKeysGenerated: false };
  } catch (error) {
    // The parser's message describes the format only; never echo the key material.
    throw new ConfigError(`Invalid configuration:\n  ${name}: ${error instanceof Error ? error.message : 'invalid key ring'}`);
  }
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`Invalid configuration:\n  LOCAL_ENCRYPTION_KEY_FILE: cannot read ${path} (${code})`);
  }
}

/** Teams needs its own switch on top of being listed: chat access is a deliberate choice. */
function toolFamilies(listed: string[], teamsEnabled: boolean): Family[] {
  let families: Family[];
  try {
    families = parseFamilies(listed, 'TOOL_FAMILIES');
  } catch (error) {
    if (isDomainError(error)) throw new ConfigError(`Invalid configuration:\n  ${error.message}`);
    throw error;
  }
  if (families.includes('teams') && !teamsEnabled) {
    throw new ConfigError('Invalid configuration:\n  TOOL_FAMILIES: lists "teams" but TEAMS_ENABLED is not true; set TEAMS_ENABLED=true to expose Teams chat.');
  }
  if (teamsEnabled && !families.includes('teams')) families.push('teams');
  return families;
}

/** An empty variable means "unset", as operators expect from `FOO=` in env files. */
function withoutBlanks(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => !!kv[1]?.trim()));
}
