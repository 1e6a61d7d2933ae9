import { afterEach, describe, expect, it } from 'vitest';

import type { GraphCallContext, GraphCallPolicy } from '../../../src/adapters/graph/graph-call-policy.js';
import { GraphHttpClient } from '../../../src/adapters/graph/graph-http-client.js';
import type { GraphHttpClientOptions } from '../../../src/adapters/graph/graph-http-client.js';
import { parseRetryAfter } from '../../../src/adapters/graph/graph-error-mapper.js';
import { DomainError } from '../../../src/domain/errors.js';
import { domainErrorOf, makeIdentity } from '../../domain/fixtures.js';
import { json, startTestServer } from './graph-test-server.js';
import type { Handler, TestServer } from './graph-test-server.js';

const me = makeIdentity();
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Handler): Promise<TestServer> {
  const s = await startTestServer(handler);
  servers.push(s);
  return s;
}

function client(server: TestServer, options: Partial<GraphHttpClientOptions> = {}): GraphHttpClient {
  return new GraphHttpClient({
    baseUrl: `${server.origin}/v1.0`,
    tokenProvider: { getAccessToken: async () => 'graph-token' },
    timeoutMs: 2000,
    ...options,
  });
}

const get = { family: 'profile', operation: 'test.get', method: 'GET', path: '/me', idempotent: true } as const;

describe('GraphHttpClient requests', () => {
  it('sends the bearer token, a client-request-id, JSON bodies and encoded query values', async () => {
    const server = await serve((_req, res) => json(res, 200, { ok: true }));
    const result = await client(server).request(me, {
      family: 'mail',
      operation: 'test.post',
      method: 'POST',
      path: '/me/things',
      query: { $filter: "name eq 'a b&c'", $top: 5, skipped: undefined },
      body: { hello: 'wörld' },
      idempotent: false,
    });
    expect(result).toEqual({ ok: true });
    const req = server.requests[0];
    // The URL parser escapes ' in queries of http(s) URLs; Graph decodes it.
    expect(req?.url).toBe('/v1.0/me/things?$filter=name%20eq%20%27a%20b%26c%27&$top=5');
    expect(req?.headers.authorization).toBe('Bearer graph-token');
    expect(req?.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual({ hello: 'wörld' });
  });

  it('keeps connections alive: sequential calls, bodies and drained answers reuse one connection', async () => {
    const server = await serve((req, res) => (req.method === 'DELETE' ? json(res, 204, {}) : json(res, 200, { ok: true })));
    const graph = client(server);
    for (let i = 0; i < 5; i++) {
      await graph.request(me, get);
      await graph.request(me, { ...get, method: 'POST', body: { n: i }, idempotent: false });
      await graph.request(me, { ...get, method: 'DELETE', expect: 'none' });
    }
    expect(server.requests).toHaveLength(15);
    expect(server.requests[1]?.headers['content-length']).toBe(String(JSON.stringify({ n: 0 }).length));
    expect(server.connections()).toBe(1);
  });

  it('sends an idempotent request again when its pooled connection turns out closed; never a POST, never on a fresh connection', async () => {
    // The server drops each connection's second request unanswered, as when an idle keep-alive
    // connection is closed just as a request is written to it (or, for all the client can tell,
    // after acting on it).
    const seen = new WeakMap<object, number>();
    const server = await serve((_req, res) => {
      const count = (seen.get(res.socket!) ?? 0) + 1;
      seen.set(res.socket!, count);
      if (count === 2) res.socket!.destroy();
      else json(res, 200, { ok: true });
    });
    const graph = client(server);
    await graph.request(me, get);
    expect(await graph.request(me, { ...get, method: 'PUT', body: { n: 1 } })).toEqual({ ok: true });
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'PUT']);
    expect(server.connections()).toBe(2);
    const post = await domainErrorOf(() => graph.request(me, { ...get, method: 'POST', body: { n: 2 }, idempotent: false }));
    expect(post).toMatchObject({ category: 'unavailable', code: 'graph.networkError' });
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'PUT', 'POST']);

    const hangsUp = await serve((_req, res) => {
      res.socket!.destroy();
    });
    expect(await domainErrorOf(() => client(hangsUp).request(me, get))).toMatchObject({ category: 'unavailable', code: 'graph.networkError' });
    expect(hangsUp.requests).toHaveLength(1);
  });

  it('works with a sovereign-cloud style base URL by configuration alone', async () => {
    const server = await serve((_req, res) => json(res, 200, { id: 'x' }));
    const gov = new GraphHttpClient({ baseUrl: `${server.origin}/gov/v1.0/`, tokenProvider: { getAccessToken: async () => 't' }, timeoutMs: 2000 });
    await gov.request(me, get);
    expect(server.requests[0]?.url).toBe('/gov/v1.0/me');
  });

  it('refuses paths that would leave the base URL', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    for (const path of ['//evil.example/x', '/../../other', 'me', '/%2e%2e/%2e%2e/x']) {
      const err = await domainErrorOf(() => client(server).request(me, { ...get, path }));
      expect(err.category).toBe('internal');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('runs every call through the policy with the call context', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(202);
      res.end();
    });
    const seen: GraphCallContext[] = [];
    const policy: GraphCallPolicy = { execute: (ctx, fn) => (seen.push(ctx), fn(new AbortController().signal)) };
    await client(server, { policy }).request(me, { family: 'mail', operation: 'mail.sendMail', method: 'POST', path: '/me/sendMail', body: {}, idempotent: false, expect: 'none' });
    expect(seen).toEqual([{ family: 'mail', tenantId: 'tenant-1', userId: 'user-1', idempotent: false, operation: 'mail.sendMail' }]);
  });

  it('propagates auth_required from the token provider without calling Graph', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const tokenProvider = { getAccessToken: async (): Promise<string> => { throw new DomainError('auth_required', 'auth.signInRequired', 'Sign in again.'); } };
    expect((await domainErrorOf(() => client(server, { tokenProvider }).request(me, get))).code).toBe('auth.signInRequired');
    expect(server.requests).toHaveLength(0);
  });
});

describe('GraphHttpClient error mapping', () => {
  const cases: Array<[number, string, string]> = [
    [400, 'invalid_input', 'graph.invalidRequest'],
    [401, 'auth_required', 'graph.InvalidAuthenticationToken'],
    [403, 'forbidden', 'graph.accessDenied'],
    [404, 'not_found', 'graph.itemNotFound'],
    [409, 'conflict', 'graph.nameAlreadyExists'],
    [412, 'conflict', 'graph.resourceModified'],
    [413, 'payload_too_large', 'graph.requestTooLarge'],
    [429, 'throttled', 'graph.TooManyRequests'],
    [500, 'unavailable', 'graph.generalException'],
    [502, 'unavailable', 'graph.badGateway'],
    [503, 'unavailable', 'graph.serviceNotAvailable'],
    [504, 'unavailable', 'graph.gatewayTimeout'],
  ];

  it.each(cases)('maps %i to %s with the Graph code, status and request id, never echoing the Graph message', async (status, category, code) => {
    const server = await serve((_req, res) =>
      json(res, status, { error: { code: code.slice('graph.'.length), message: 'Mailbox of ada@contoso.com: secret stuff', innerError: { 'request-id': 'inner-id' } } }, { 'request-id': 'req-123' }),
    );
    const err = await domainErrorOf(() => client(server).request(me, get));
    expect(err).toMatchObject({ category, code, httpStatus: status, graphRequestId: 'req-123' });
    expect(err.retryable).toBe(['throttled', 'unavailable'].includes(category));
    expect(err.message).not.toContain('ada@contoso.com');
  });

  it('falls back to the inner request-id and a status-based code when the body is not Graph-shaped', async () => {
    const inner = await serve((_req, res) => json(res, 404, { error: { code: 'x y<script>', innerError: { 'request-id': 'inner-id' } } }));
    expect(await domainErrorOf(() => client(inner).request(me, get))).toMatchObject({ code: 'graph.itemNotFound', graphRequestId: 'inner-id' });
    const html = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    expect(await domainErrorOf(() => client(html).request(me, get))).toMatchObject({ category: 'unavailable', code: 'graph.badGateway' });
  });

  it('reads Retry-After in seconds', async () => {
    const server = await serve((_req, res) => json(res, 429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '17' }));
    const err = await domainErrorOf(() => client(server).request(me, get));
    expect(err).toMatchObject({ category: 'throttled', retryAfterSeconds: 17, retryable: true });
    expect(err.message).toContain('17 seconds');
  });

  it('reads Retry-After as an HTTP-date against the clock', async () => {
    const now = Date.UTC(2024, 4, 1, 12, 0, 0);
    const server = await serve((_req, res) => json(res, 503, {}, { 'retry-after': new Date(now + 42_000).toUTCString() }));
    const err = await domainErrorOf(() => client(server, { clock: { now: () => now } }).request(me, get));
    expect(err).toMatchObject({ category: 'unavailable', retryAfterSeconds: 42 });
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('times out a slow answer with a timeout error', async () => {
    const server = await serve((_req, res) => {
      setTimeout(() => json(res, 200, {}), 1000).unref();
    });
    const err = await domainErrorOf(() => client(server, { timeoutMs: 50 }).request(me, get));
    expect(err).toMatchObject({ category: 'timeout', code: 'graph.timeout', retryable: true });
  });

  it('maps a refused connection to unavailable', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const dead = client(server);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    expect(await domainErrorOf(() => dead.request(me, get))).toMatchObject({ category: 'unavailable', code: 'graph.networkError' });
  });

  it('maps an unreadable 2xx body to unavailable and an oversize one to payload_too_large', async () => {
    const garbage = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{not json');
    });
    expect(await domainErrorOf(() => client(garbage).request(me, get))).toMatchObject({ category: 'unavailable', code: 'graph.badResponse' });
    const huge = await serve((_req, res) => json(res, 200, { value: 'x'.repeat(5000) }));
    expect(await domainErrorOf(() => client(huge, { maxResponseBytes: 1000 }).request(me, get))).toMatchObject({ category: 'payload_too_large' });
  });
});

describe('GraphHttpClient downloads', () => {
  it('follows the pre-authenticated redirect without sending the Graph token to the other origin', async () => {
    const storage = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.from([1, 2, 3]));
    });
    const graph = await serve((_req, res) => {
      res.writeHead(302, { location: `${storage.origin}/download?tempauth=abc` });
      res.end();
    });
    const bytes = await client(graph).request<Uint8Array>(me, { ...get, path: '/me/drive/items/x/content', expect: 'bytes' });
    expect([...bytes]).toEqual([1, 2, 3]);
    expect(graph.requests[0]?.headers.authorization).toBe('Bearer graph-token');
    expect(storage.requests[0]?.url).toBe('/download?tempauth=abc');
    expect(storage.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('refuses redirects to other schemes and redirect chains', async () => {
    const bad = await serve((_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    });
    expect((await domainErrorOf(() => client(bad).request(me, { ...get, expect: 'bytes' }))).code).toBe('graph.badRedirect');
    const loop = await serve((_req, res) => {
      res.writeHead(302, { location: '/again' });
      res.end();
    });
    expect((await domainErrorOf(() => client(loop).request(me, { ...get, expect: 'bytes' }))).code).toBe('graph.tooManyRedirects');
    expect(loop.requests.every((r, i) => (i === 0 ? r.headers.authorization !== undefined : r.headers.authorization === undefined))).toBe(true);
  });

  it('maps an error from the storage host and caps the downloaded size', async () => {
    const storage = await serve((req, res) => {
      if (req.url === '/gone') json(res, 404, {});
      else {
        res.writeHead(200);
        res.end(Buffer.alloc(2048));
      }
    });
    const graph = await serve((req, res) => {
      res.writeHead(302, { location: `${storage.origin}${req.url?.endsWith('gone/content') ? '/gone' : '/big'}` });
      res.end();
    });
    expect((await domainErrorOf(() => client(graph).request(me, { ...get, path: '/me/drive/items/gone/content', expect: 'bytes' }))).category).toBe('not_found');
    expect((await domainErrorOf(() => client(graph).request(me, { ...get, path: '/me/drive/items/big/content', expect: 'bytes', maxBytes: 1024 }))).category).toBe('payload_too_large');
  });

  it('refuses a redirect when bytes were not expected', async () => {
    const graph = await serve((_req, res) => {
      res.writeHead(302, { location: 'https://elsewhere.example/' });
      res.end();
    });
    expect((await domainErrorOf(() => client(graph).request(me, get))).code).toBe('graph.unexpectedRedirect');
  });
});
