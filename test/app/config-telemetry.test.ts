import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/config.js';

describe('logging and telemetry configuration', () => {
  it('keeps telemetry off in sandbox mode and on in live mode unless OTEL_SDK_DISABLED says otherwise', () => {
    expect(loadConfig({}).telemetry.enabled).toBe(false);
    expect(loadConfig({ OTEL_SDK_DISABLED: 'false' }).telemetry.enabled).toBe(true);
    // Live mode also needs its sign-in settings (docs/auth.md).
    const live = { GATEWAY_MODE: 'live', PUBLIC_BASE_URL: 'https://mcp.example.com', ENTRA_CLIENT_ID: 'app', ENTRA_CLIENT_SECRET: 's', AUTH_ALLOWED_TENANTS: 't1' };
    expect(loadConfig(live).telemetry.enabled).toBe(true);
    expect(loadConfig({ ...live, OTEL_SDK_DISABLED: 'true' }).telemetry.enabled).toBe(false);
  });

  it('reads service, environment and version from the standard OTel variables the Terraform module sets', () => {
    const config = loadConfig({
      OTEL_SERVICE_NAME: 'm365-mcp-gateway-prod',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.version=1.4.2',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_TRACES_SAMPLER_RATIO: '0.25',
    });
    expect(config.telemetry).toMatchObject({
      serviceName: 'm365-mcp-gateway-prod',
      environment: 'prod',
      serviceVersion: '1.4.2',
      otlpEndpoint: 'http://127.0.0.1:4318',
      tracesSamplerRatio: 0.25,
      resourceAttributes: { 'deployment.environment': 'prod', 'service.version': '1.4.2' },
    });
    expect(loadConfig({ DEPLOY_ENV: 'preprod' }).telemetry.environment).toBe('preprod');
  });

  it('parses the redaction and audit settings', () => {
    const config = loadConfig({
      LOG_TENANT_MODE: 'clear',
      LOG_HASH_SALT: 'a-shared-salt-of-16+chars',
      LOG_REDACTION_ALLOW: 'subject, fileName',
      AUDIT_LOG_DESTINATION: 'file',
      AUDIT_RETENTION_DAYS: '400',
    });
    expect(config.log).toMatchObject({ tenantMode: 'clear', userIdMode: 'hash', hashSalt: 'a-shared-salt-of-16+chars', redactionAllow: ['subject', 'fileName'] });
    expect(config.audit).toEqual({ destination: 'file', directory: './audit-logs', retentionDays: 400 });
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'],
    ['OTEL_TRACES_SAMPLER_RATIO', '1.5'],
    ['LOG_TENANT_MODE', 'plain'],
    ['LOG_HASH_SALT', 'short'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
