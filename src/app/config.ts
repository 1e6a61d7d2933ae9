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
  /** `embedded: false` uses a sandbox already running at GRAPH_BASE_URL (shared by several gateways). */
  sandbox: { seed: number; port: number; secret: string; embedded: boolean };
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
