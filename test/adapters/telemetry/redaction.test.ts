import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import { REDACTED, Redactor } from '../../../src/adapters/telemetry/redaction.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function makeRedactor(overrides: Partial<ConstructorParameters<typeof Redactor>[0]> = {}): Redactor {
  return new Redactor({ hashSalt: 'salt-1', ...overrides });
}

describe('Redactor', () => {
  it('masks secret-looking keys whatever their value', () => {
    const out = makeRedactor().redactFields({
      access_token: 'opaque-access',
      refresh_token: 'opaque-refresh',
      client_secret: 's3cr3t',
      code: 'auth-code-123',
      code_verifier: 'verifier-abc',
      password: 'hunter2',
      headers: { Authorization: 'Bearer abc.def', Cookie: 'sid=1', 'Set-Cookie': 'sid=2' },
    });
    expect(out).toEqual({
      access_token: REDACTED,
      refresh_token: REDACTED,
      client_secret: REDACTED,
      code: REDACTED,
      code_verifier: REDACTED,
      password: REDACTED,
      headers: { Authorization: REDACTED, Cookie: REDACTED, 'Set-Cookie': REDACTED },
    });
  });

  it('scrubs bearer tokens, JWTs, OAuth parameters and emails inside free text', () => {
    const r = makeRedactor();
    const text = `Bearer opaque123 then ${JWT} at https://x/cb?code=AUTHCODE&state=ok refresh_token=RT1 mail alice@contoso.com {"client_secret":"CS1"}`;
    const out = r.scrubString(text);
    for (const raw of ['opaque123', JWT, 'AUTHCODE', 'RT1', 'alice@contoso.com', 'CS1']) expect(out).not.toContain(raw);
    expect(out).toContain('state=ok');
    expect(out).toMatch(/\[email:[0-9a-f]{16}\]/);
  });

  it('hashes personal content by field name and keeps equal values correlatable', () => {
    const r = makeRedactor();
    const a = r.redactFields({ subject: 'Layoffs Q3', fileName: 'salaries.xlsx', query: 'divorce lawyer', recipients: ['a@b.com'] });
    const b = r.redactFields({ subject: 'Layoffs Q3' });
    expect(JSON.stringify(a)).not.toMatch(/Layoffs|salaries|divorce|a@b\.com/);
    expect(a.subject).toBe(b.subject);
    expect(a.recipients).toBe('[redacted]');
  });

  it('hashes tenant and user ids with the salt, or passes them clear when configured', () => {
    const hashed = makeRedactor().redactFields({ tenantId: TENANT, actor: 'oid-1' });
    expect(hashed.tenantId).toMatch(/^t_[0-9a-f]{16}$/);
    expect(hashed.actor).toMatch(/^u_[0-9a-f]{16}$/);
    expect(makeRedactor({ hashSalt: 'salt-2' }).redactFields({ tenantId: TENANT }).tenantId).not.toBe(hashed.tenantId);
    expect(makeRedactor({ tenantMode: 'clear', userIdMode: 'clear' }).redactFields({ tenantId: TENANT, actor: 'oid-1' })).toEqual({
      tenantId: TENANT,
      actor: 'oid-1',
    });
  });

  it('lets allow-listed fields pass by name, still scrubbing tokens inside them', () => {
    const r = makeRedactor({ allow: ['subject', 'error_code'] });
    const out = r.redactFields({ subject: `Weekly sync ${JWT}`, errorCode: 'graph.itemNotFound', statusCode: 404 });
    expect(out).toEqual({ subject: 'Weekly sync [jwt]', errorCode: 'graph.itemNotFound', statusCode: 404 });
  });

  it('handles errors, causes, cycles, depth, long strings and arrays', () => {
    const r = makeRedactor({ maxStringLength: 20, maxDepth: 3, maxArrayItems: 2 });
    const cause = new Error('upstream said bob@contoso.com is unknown');
    const error = new DomainError('not_found', 'graph.itemNotFound', 'no item', { cause, graphRequestId: 'req-1' });
    const cyclic: Record<string, unknown> = { label: 'x' };
    cyclic.self = cyclic;
    const out = r.redactFields({ error, cyclic, deep: { a: { b: { c: 1 } } }, long: 'y'.repeat(50), list: [1, 2, 3, 4] });
    expect(out.error).toMatchObject({ name: 'DomainError', category: 'not_found', code: 'graph.itemNotFound', graphRequestId: 'req-1' });
    expect(JSON.stringify(out)).not.toContain('bob@contoso.com');
    expect(out.error).not.toHaveProperty('stack');
    expect(out.cyclic).toEqual({ label: 'x', self: '[Circular]' });
    expect(out.deep).toEqual({ a: { b: '[Truncated]' } });
    expect(out.long).toBe(`${'y'.repeat(20)}…[truncated 30 chars]`);
    expect(out.list).toEqual([1, 2, '[+2 more]']);
  });

  it('keeps stack frames only when asked, without the message line', () => {
    const error = new Error('token=SECRET leaked');
    const withStack = makeRedactor({ includeStacks: true }).redact(error) as { stack: string; message: string };
    expect(withStack.stack).toMatch(/^at /);
    expect(withStack.stack).not.toContain('SECRET');
    expect(withStack.message).toBe(`token=${REDACTED} leaked`);
  });

  it('masks quoted spans in error messages and fingerprints DomainError messages', () => {
    const r = makeRedactor();
    const plain = r.redact(new Error("The resource 'Budget 2027.xlsx' already exists")) as { message: string };
    expect(plain.message).toBe('The resource [quoted] already exists');
    const domain = r.redact(new DomainError('conflict', 'graph.nameAlreadyExists', 'A file named Budget 2027.xlsx exists')) as {
      message: string;
    };
    expect(domain.message).toMatch(/^\[redacted:[0-9a-f]{16}\]$/);
  });

  it('refuses an empty salt', () => {
    expect(() => new Redactor({ hashSalt: '' })).toThrow(/hashSalt/);
  });
});
