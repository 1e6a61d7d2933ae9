import { afterEach, describe, expect, it } from 'vitest';
import { runWithRequestContext, updateRequestContext } from '../../../src/adapters/telemetry/correlation.js';
import { Redactor } from '../../../src/adapters/telemetry/redaction.js';
import { WinstonLogger } from '../../../src/adapters/telemetry/winston-logger.js';
import type { WinstonLoggerOptions } from '../../../src/adapters/telemetry/winston-logger.js';
import { DomainError } from '../../../src/domain/errors.js';
import { drain, makeLogCapture } from './log-capture.js';
import { assertNoPii, PII } from './pii-fixtures.js';
import type { LogCapture } from './log-capture.js';
import { makeTelemetryHarness } from './telemetry-harness.js';
import type { TelemetryHarness } from './telemetry-harness.js';


function makeLogger(capture: LogCapture, overrides: Partial<WinstonLoggerOptions> = {}): WinstonLogger {
  return new WinstonLogger({
    redactor: new Redactor({ hashSalt: 'log-salt' }),
    level: 'debug',
    stream: capture.stream,
    clock: { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) },
    ...overrides,
  });
}

describe('WinstonLogger', () => {
  let harness: TelemetryHarness | undefined;
  afterEach(async () => {
    await harness?.handle.shutdown();
    harness = undefined;
  });

  it('writes one JSON line per event with time, level, message and fields', async () => {
    const capture = makeLogCapture();
    const logger = makeLogger(capture);
    logger.info('tool call finished', { outcome: 'success', durationMs: 12 });
    logger.debug('detail');
    await drain();
    expect(capture.lines()).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', message: 'tool call finished', outcome: 'success', durationMs: 12 },
      { time: '2026-01-02T03:04:05.000Z', level: 'debug', message: 'detail' },
    ]);
  });

  it('respects the level and never lets fields clobber level or message', async () => {
    const capture = makeLogCapture();
    const logger = makeLogger(capture, { level: 'warn' });
    logger.info('dropped');
    logger.warn('kept', { level: 'spoofed', message: 'spoofed' });
    await drain();
    expect(capture.lines()).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'warn', message: 'kept', level_field: 'spoofed', message_field: 'spoofed' },
    ]);
    expect(capture.text()).not.toContain('dropped');
  });

  it('adds the request context and child fields to every line', async () => {
    const capture = makeLogCapture();
    const logger = makeLogger(capture).child({ component: 'tool-pipeline' });
    await runWithRequestContext({ correlationId: 'corr-12345678' }, async () => {
      updateRequestContext({ tool: 'mail_send', family: 'mail', tenantId: PII.tenantId });
      logger.info('calling graph', { graphRequestId: 'req-9' });
    });
    await drain();
    const [line] = capture.lines();
    expect(line).toMatchObject({
      component: 'tool-pipeline',
      correlationId: 'corr-12345678',
      tool: 'mail_send',
      family: 'mail',
      graphRequestId: 'req-9',
    });
    expect(line?.tenantId).toMatch(/^t_[0-9a-f]{16}$/);
  });

  it('adds trace and span ids (OTel hex and Datadog decimal) inside an active span', async () => {
    harness = await makeTelemetryHarness();
    const capture = makeLogCapture();
    const logger = makeLogger(capture);
    await harness.telemetry.withSpan('unit', {}, async (span) => {
      logger.info('inside');
      const { traceId, spanId } = span.spanContext();
      await drain();
      expect(capture.lines()[0]).toMatchObject({
        trace_id: traceId,
        span_id: spanId,
        dd: { trace_id: BigInt(`0x${traceId.slice(16)}`).toString(), span_id: BigInt(`0x${spanId}`).toString() },
      });
    });
  });

  it('lets no token, code, secret, email, subject, file name, query or name through', async () => {
    const capture = makeLogCapture();
    const logger = makeLogger(capture);
    logger.info(`exchanging code=${PII.authCode} for ${PII.email}`, {
      authorization: `Bearer ${PII.accessToken}`,
      tokenResponse: { access_token: PII.accessToken, refresh_token: PII.refreshToken },
      form: `grant_type=authorization_code&code=${PII.authCode}&code_verifier=${PII.codeVerifier}&client_secret=${PII.clientSecret}`,
      upstreamBody: JSON.stringify({ refresh_token: PII.refreshToken }),
      message: { subject: PII.subject, body: { content: PII.body }, toRecipients: [{ emailAddress: { address: PII.email } }] },
      item: { name: PII.fileName, webUrl: `https://contoso-my.sharepoint.com/${PII.fileName}` },
      search: { query: PII.query },
      user: { displayName: PII.displayName, mail: PII.email, oid: PII.objectId },
      tenantId: PII.tenantId,
      note: `free text mentioning ${PII.email} and ${PII.accessToken}`,
    });
    logger.error('graph call failed', {
      error: new DomainError('conflict', 'graph.nameAlreadyExists', `A file named ${PII.fileName} exists for ${PII.email}`),
    });
    await drain();
    expect(capture.lines()).toHaveLength(2);
    assertNoPii(capture.text());
  });
});
