import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/config.js';

describe('configuration', () => {
  it('starts on the embedded default with no variables at all', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.graph.baseUrl).toBe('https://graph.microsoft.com/v1.0');
    expect(config.http.allowLoopback).toBe(true);
  });

  it('fails fast naming the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ GRAPH_BASE_URL: 'not a url' })).toThrow(/GRAPH_BASE_URL/);
    expect(() => loadConfig({ ALLOW_LOOPBACK: 'maybe' })).toThrow(/ALLOW_LOOPBACK/);
  });

  it('refuses sandbox mode in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/sandbox/);
  });

  it('takes a sovereign cloud Graph endpoint by configuration alone', () => {
    expect(loadConfig({ GRAPH_BASE_URL: 'https://graph.microsoft.us/v1.0/' }).graph.baseUrl).toBe('https://graph.microsoft.us/v1.0');
  });

  it('parses lists and treats blank variables as unset', () => {
    const config = loadConfig({ ALLOWED_HOSTS: 'a.example, b.example,', PORT: '' });
    expect(config.http.allowedHosts).toEqual(['a.example', 'b.example']);
    expect(config.http.port).toBe(3000);
  });

  it('takes per-family back-off scopes for families Graph knows, and refuses anything else', () => {
    expect(loadConfig({}).resilience.backoffScopeByFamily).toEqual({});
    expect(loadConfig({ GRAPH_BACKOFF_SCOPE_BY_FAMILY: 'mail=tenant, files=mailbox' }).resilience.backoffScopeByFamily).toEqual({ mail: 'tenant', files: 'mailbox' });
    expect(() => loadConfig({ GRAPH_BACKOFF_SCOPE_BY_FAMILY: 'mails=tenant' })).toThrow(/GRAPH_BACKOFF_SCOPE_BY_FAMILY/);
    expect(() => loadConfig({ GRAPH_BACKOFF_SCOPE_BY_FAMILY: 'mail=user' })).toThrow(/GRAPH_BACKOFF_SCOPE_BY_FAMILY/);
  });
});
