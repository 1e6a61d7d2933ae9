import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { DEFAULT_FAMILIES, parseFamilies, type Family } from '../domain/families.js';
import { isDomainError } from '../domain/errors.js';
import type { TelemetrySdkConfig } from './telemetry-sdk.js';

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

  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  REDIS_KEY_PREFIX: z.string().max(64).default('m365:'),

  SANDBOX_SEED: int(0, 2 ** 31).default(42),
  SANDBOX_PORT: int(0, 65535).default(0),
  SANDBOX_SECRET: z.string().min(16).optional(),
  SANDBOX_EMBEDDED: bool.default(true),
});

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
  redis?: { url: string; keyPrefix: string };
  /** `embedded: false` uses a sandbox already running at GRAPH_BASE_URL (shared by several gateways). */
  sandbox: { seed: number; port: number; secret: string; embedded: boolean };
}

export interface ResilienceConfig {
  concurrency: number;
  concurrencyByFamily: Record<string, number>;
  queueSize: number;
  /** Per-attempt deadline by family; families not listed use graph.timeoutMs. */
  timeoutMsByFamily: Record<string, number>;
  retry: {
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
    /** Longest Retry-After (or tenant back-off) one call waits out; longer ones fail fast as `throttled`. */
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
      shutdownDrainSeconds: e.SHUTDOWN_DRAIN_SECONDS,
    },
    graph: { baseUrl: e.GRAPH_BASE_URL.replace(/\/$/, ''), timeoutMs: e.GRAPH_TIMEOUT_MS },
    limits: {
      mailBodyMaxChars: e.MAIL_BODY_MAX_CHARS,
      inlineContentMaxBytes: e.INLINE_CONTENT_MAX_BYTES,
      simpleUploadMaxBytes: e.SIMPLE_UPLOAD_MAX_BYTES,
      mailAttachmentsMaxBytes: e.MAIL_ATTACHMENTS_MAX_BYTES,
    },
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
    ...(e.REDIS_URL ? { redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } } : {}),
    // A random secret per process is fine: sandbox tokens need not survive a restart.
    sandbox: {
      seed: e.SANDBOX_SEED,
      port: e.SANDBOX_PORT,
      secret: e.SANDBOX_SECRET ?? randomBytes(24).toString('base64url'),
      embedded: e.SANDBOX_EMBEDDED,
    },
  };
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
