import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../../src/adapters/oauth/guarded-fetch.js';
import { isAcceptableRedirectUri } from '../../../src/adapters/oauth/redirect-uri.js';
import { verifyPkce } from '../../../src/adapters/oauth/secrets.js';

describe('SSRF address classification', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '224.0.0.1', 'not-an-ip'])('blocks %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });
  it.each(['20.190.128.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('allows public %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe('registrable redirect URIs', () => {
  it.each(['https://app.example/cb', 'http://127.0.0.1:33418/callback', 'http://localhost:8080/cb', 'http://[::1]:9/cb', 'com.example.app:/oauth'])('accepts %s', (uri) => {
    expect(isAcceptableRedirectUri(uri)).toBe(true);
  });
  it.each(['http://app.example/cb', 'https://app.example/cb#x', 'https://user:pw@app.example/cb', 'javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'not a url'])('refuses %s', (uri) => {
    expect(isAcceptableRedirectUri(uri)).toBe(false);
  });
});

describe('PKCE', () => {
  it('verifies S256 and refuses malformed verifiers', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // RFC 7636 appendix B
    expect(verifyPkce(verifier, challenge)).toBe(true);
    expect(verifyPkce(`${verifier}x`, challenge)).toBe(false);
    expect(verifyPkce('short', challenge)).toBe(false);
    expect(verifyPkce(challenge, challenge)).toBe(false);
  });
});
