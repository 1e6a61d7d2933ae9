import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHmacTokenVerifier,
  hasAnyScope,
  mintSandboxAccessToken,
} from '../../../src/adapters/sandbox/access-token.js';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import { makeSandbox } from './sandbox-fixture.js';
import type { SandboxFixture } from './sandbox-fixture.js';

interface ErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

const megan = seededUser('megan');
const patti = seededUser('patti');
const secret = 'auth-test-secret';
let fx: SandboxFixture;

beforeAll(async () => {
  fx = await makeSandbox({ tokenSecret: secret });
});
afterAll(async () => {
  await fx.sandbox.close();
});

const withToken = (token: string | undefined, path = '/v1.0/me'): Promise<Response> =>
  fetch(fx.url(path), {
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      'client-request-id': 'c-123',
    },
  });

describe('sandbox auth and error envelope', () => {
  it('rejects a missing token with 401 InvalidAuthenticationToken in Graph error shape', async () => {
    const res = await withToken(undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const requestId = res.headers.get('request-id') ?? '';
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('client-request-id')).toBe('c-123');
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.innerError['request-id']).toBe(requestId);
    expect(body.error.innerError['client-request-id']).toBe('c-123');
    expect(Number.isNaN(Date.parse(body.error.innerError.date))).toBe(false);
  });

  it('rejects bad signatures, wrong secrets, garbage and expired tokens', async () => {
    const valid = mintSandboxAccessToken(secret, {
      tenantId: megan.tenantId,
      userId: megan.id,
      scopes: ['User.Read'],
      expiresAt: Date.now() + 60_000,
    });
    expect((await withToken(valid)).status).toBe(200);
    const tampered = `${valid.slice(0, -2)}xx`;
    const otherSecret = mintSandboxAccessToken('other', {
      tenantId: megan.tenantId,
      userId: megan.id,
      scopes: ['User.Read'],
      expiresAt: Date.now() + 60_000,
    });
    const expired = mintSandboxAccessToken(secret, {
      tenantId: megan.tenantId,
      userId: megan.id,
      scopes: ['User.Read'],
      expiresAt: Date.now() - 1,
    });
    const wrongTenant = mintSandboxAccessToken(secret, {
      tenantId: patti.tenantId,
      userId: megan.id,
      scopes: ['User.Read'],
      expiresAt: Date.now() + 60_000,
    });
    for (const token of [tampered, otherSecret, expired, wrongTenant, 'not-a-token']) {
      const res = await withToken(token);
      expect(res.status, token).toBe(401);
      expect(((await res.json()) as ErrorBody).error.code).toBe('InvalidAuthenticationToken');
    }
    expect(createHmacTokenVerifier(secret)(expired, Date.now())).toEqual({ ok: false, reason: 'expired' });
  });

  it('serves each user their own data across tenants', async () => {
    const me = (await (await fx.call(patti, '/v1.0/me?$select=displayName,mail')).json()) as Record<
      string,
      unknown
    >;
    expect(me).toMatchObject({
      id: patti.id,
      displayName: 'Patti Fernandez',
      mail: 'patti.fernandez@fabrikam.example',
    });
    expect(me.jobTitle).toBeUndefined();
  });

  it('enforces delegated scopes per endpoint with 403', async () => {
    const cases: Array<[string, string[], number, string?]> = [
      ['/v1.0/me', ['Mail.Read'], 403, 'Forbidden'],
      ['/v1.0/me', ['User.ReadWrite'], 200],
      ['/v1.0/me/messages', ['Calendars.Read'], 403, 'ErrorAccessDenied'],
      ['/v1.0/me/messages', ['Mail.ReadWrite'], 200],
      ['/v1.0/me/drive/root/children', ['Mail.Read'], 403, 'accessDenied'],
      ['/v1.0/me/drive/root/children', ['Files.ReadWrite'], 200],
    ];
    for (const [path, scopes, status, code] of cases) {
      const res = await fx.call(megan, path, { scopes });
      expect(res.status, `${path} ${scopes.join()}`).toBe(status);
      if (code) expect(((await res.json()) as ErrorBody).error.code).toBe(code);
    }
    const send = await fx.call(megan, '/v1.0/me/sendMail', {
      method: 'POST',
      scopes: ['Mail.ReadWrite'],
      body: '{}',
    });
    expect(send.status).toBe(403);
  });

  it('implies Read from ReadWrite and plain scopes from .All, never the reverse', () => {
    expect(hasAnyScope(['Files.ReadWrite.All'], ['Files.Read'])).toBe(true);
    expect(hasAnyScope(['Mail.Read'], ['Mail.ReadWrite'])).toBe(false);
    expect(hasAnyScope(['Mail.Read'], ['Mail.Send'])).toBe(false);
    expect(hasAnyScope(['mail.send'], ['Mail.Send'])).toBe(true);
  });
});
