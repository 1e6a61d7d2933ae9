import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runWithRequestContext } from '../../../src/adapters/telemetry/correlation.js';
import { Redactor } from '../../../src/adapters/telemetry/redaction.js';
import { WinstonAuditLog } from '../../../src/adapters/telemetry/winston-audit-log.js';
import type { AuditEvent } from '../../../src/ports/audit-log.js';
import { drain, makeLogCapture } from './log-capture.js';
import { assertNoPii, PII } from './pii-fixtures.js';

const clock = { now: (): number => Date.UTC(2026, 5, 1, 12, 0, 0) };

describe('WinstonAuditLog', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('writes actor, tenant, action, outcome, time and correlation as a separate audit stream', async () => {
    const capture = makeLogCapture();
    const audit = new WinstonAuditLog({ redactor: new Redactor({ hashSalt: 'audit-salt' }), destination: { kind: 'stdout', stream: capture.stream }, clock });
    runWithRequestContext({ correlationId: 'corr-abcdefgh' }, () =>
      audit.record({ action: 'token.refresh', outcome: 'failure', tenantId: PII.tenantId, actor: PII.objectId, clientId: 'client-1', reason: 'invalid_grant' }),
    );
    await drain();
    const [line] = capture.lines();
    expect(line).toEqual({
      time: '2026-06-01T12:00:00.000Z',
      log: { type: 'audit' },
      action: 'token.refresh',
      outcome: 'failure',
      tenant: expect.stringMatching(/^t_[0-9a-f]{16}$/),
      actor: expect.stringMatching(/^u_[0-9a-f]{16}$/),
      clientId: 'client-1',
      reason: 'invalid_grant',
      correlationId: 'corr-abcdefgh',
    });
  });

  it('never writes content or secrets, even when a caller smuggles them into the event', async () => {
    const capture = makeLogCapture();
    const audit = new WinstonAuditLog({ redactor: new Redactor({ hashSalt: 'audit-salt' }), destination: { kind: 'stdout', stream: capture.stream }, clock });
    const smuggled = {
      action: 'auth.sign_in',
      outcome: 'success',
      tenantId: PII.tenantId,
      actor: PII.objectId,
      reason: `code=${PII.authCode} for ${PII.email} bearer ${PII.accessToken}`,
      subject: PII.subject,
      refresh_token: PII.refreshToken,
      fileName: PII.fileName,
    } as AuditEvent;
    audit.record(smuggled);
    await drain();
    assertNoPii(capture.text());
    expect(Object.keys(capture.lines()[0] ?? {})).not.toContain('subject');
  });

  it('can show tenants and actors in clear when configured', async () => {
    const capture = makeLogCapture();
    const redactor = new Redactor({ hashSalt: 'audit-salt', tenantMode: 'clear', userIdMode: 'clear' });
    const audit = new WinstonAuditLog({ redactor, destination: { kind: 'stdout', stream: capture.stream }, clock });
    audit.record({ action: 'policy.denied', outcome: 'denied', tenantId: PII.tenantId, actor: PII.objectId });
    await drain();
    expect(capture.lines()[0]).toMatchObject({ tenant: PII.tenantId, actor: PII.objectId });
  });

  it('writes daily files in the configured directory for the file destination', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'audit-'));
    dirs.push(dir);
    const audit = new WinstonAuditLog({
      redactor: new Redactor({ hashSalt: 'audit-salt' }),
      destination: { kind: 'file', directory: dir, retentionDays: 30 },
      clock,
    });
    audit.record({ action: 'session.logout', outcome: 'success', tenantId: PII.tenantId });
    await audit.close();
    const files = (await readdir(dir)).filter((f) => f.startsWith('audit-') && f.endsWith('.log'));
    expect(files).toHaveLength(1);
    const content = await readFile(join(dir, files[0] ?? ''), 'utf8');
    expect(JSON.parse(content.trim())).toMatchObject({ action: 'session.logout', outcome: 'success', log: { type: 'audit' } });
    assertNoPii(content);
  });
});
