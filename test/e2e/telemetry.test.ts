import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import { Redactor } from '../../src/adapters/telemetry/redaction.js';
import { METRIC_NAMES } from '../../src/adapters/telemetry/telemetry.js';
import { WinstonLogger } from '../../src/adapters/telemetry/winston-logger.js';
import { loadConfig } from '../../src/app/config.js';
import { startGateway, type RunningGateway } from '../../src/app/gateway.js';
import { drain, makeLogCapture, type LogCapture } from '../adapters/telemetry/log-capture.js';
import { assertNoPii, PII } from '../adapters/telemetry/pii-fixtures.js';
import { CollectingReader, points } from '../adapters/telemetry/telemetry-harness.js';
import { callError, callOk, connectClient } from '../support/gateway.js';

/** One gateway with the real SDK exporting to memory and the real JSON logger writing to a capture. */
describe('telemetry through the running gateway', () => {
  let gateway: RunningGateway;
  let client: Client;
  let logs: LogCapture;
  const spans = new InMemorySpanExporter();
  const reader = new CollectingReader();

  beforeAll(async () => {
    logs = makeLogCapture();
    // One attempt per Graph call: the 429 case below must surface, not be retried away by the policy.
    const config = loadConfig({ PORT: '0', SANDBOX_PORT: '0', NODE_ENV: 'test', LOG_LEVEL: 'debug', GRAPH_RETRY_MAX_ATTEMPTS: '1' });
    const logger = new WinstonLogger({ redactor: new Redactor({ hashSalt: config.log.hashSalt }), level: 'debug', stream: logs.stream });
    gateway = await startGateway(config, { logger, telemetry: { spanExporter: spans, metricReaders: [reader] } });
    client = await connectClient(gateway);
  });
  afterAll(async () => {
    await client?.close();
    await gateway?.close();
  });
  beforeEach(() => spans.reset());

  async function metric(name: string): Promise<ReturnType<typeof points>> {
    const { resourceMetrics } = await reader.collect();
    const found = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
    return points(found);
  }

  function only(name: string): ReadableSpan {
    const matching = spans.getFinishedSpans().filter((s) => s.name === name);
    expect(matching.map((s) => s.name)).toEqual([name]);
    return matching[0]!;
  }

  it('one tool call yields HTTP server span → tool span → Graph client span, and its metrics', async () => {
    await callOk(client, 'mail_list_messages', { pageSize: 5 });
    const tool = only('mcp.tool mail_list_messages');
    const graph = only('graph mail.listMessages');
    const server = spans.getFinishedSpans().find((s) => s.spanContext().spanId === tool.parentSpanContext?.spanId);
    expect(server?.kind).toBe(SpanKind.SERVER);
    expect(server?.name).toBe('POST /mcp');
    expect(graph.parentSpanContext?.spanId).toBe(tool.spanContext().spanId);
    expect(graph.kind).toBe(SpanKind.CLIENT);
    expect(new Set([server, tool, graph].map((s) => s?.spanContext().traceId)).size).toBe(1);
    expect(tool.attributes).toMatchObject({ 'mcp.tool.name': 'mail_list_messages', family: 'mail' });
    expect(graph.attributes).toMatchObject({ family: 'mail', 'graph.operation': 'mail.listMessages', 'graph.attempts': 1 });

    expect(await metric(METRIC_NAMES.toolCalls)).toContainEqual({
      attributes: { tool: 'mail_list_messages', family: 'mail', outcome: 'success' },
      value: 1,
    });
  });

  it('a Graph 429 marks the spans, counts a throttle and a throttled tool error', async () => {
    gateway.sandbox!.faults.set({ status429Rate: 1, retryAfterSeconds: 3, pathPattern: '/drive/', count: 1 });
    try {
      const error = await callError(client, 'files_list', {});
      expect(error.category).toBe('throttled');
    } finally {
      gateway.sandbox!.faults.clear();
    }
    const graph = only('graph files.listChildren');
    expect(graph.events.map((e) => e.name)).toContain('graph.throttled');
    expect(graph.attributes).toMatchObject({ 'http.response.status_code': 429 });
    expect(only('mcp.tool files_list').attributes).toMatchObject({ 'error.category': 'throttled' });
    expect((await metric(METRIC_NAMES.graphThrottled)).map((p) => p.attributes.family)).toContain('files');
    expect(await metric(METRIC_NAMES.toolErrors)).toContainEqual({
      attributes: { tool: 'files_list', family: 'files', category: 'throttled' },
      value: 1,
    });
  });

  it('log lines carry the correlation id, trace id, tool and family of the call', async () => {
    await callOk(client, 'auth_whoami');
    await drain();
    const line = logs.lines().find((l) => l.message === 'tool call' && l.tool === 'auth_whoami');
    const tool = only('mcp.tool auth_whoami');
    expect(line).toMatchObject({ family: 'auth', outcome: 'ok', trace_id: tool.spanContext().traceId });
    expect(line?.correlationId).toEqual(expect.any(String));
    expect(line?.tenantId).toMatch(/^t_[0-9a-f]{16}$/);
  });

  it('no secret or personal data from any tool call reaches the logs or spans', async () => {
    const megan = seededUser('megan');
    const token = gateway.devToken({ tenantId: megan.tenantId, objectId: megan.id });
    await callOk(client, 'mail_send', { to: [PII.email], subject: PII.subject, body: `${PII.body} ${PII.accessToken}` });
    const uploaded = await callOk<{ id: string }>(client, 'files_upload', { folder: '/Documents', name: PII.fileName, content: PII.body });
    await callOk(client, 'files_download', { itemId: uploaded.id });
    await callError(client, 'files_upload', { folder: '/Documents', name: PII.fileName, content: 'again' });
    await callOk(client, 'search_query', { query: PII.query, pageSize: 5 });
    await callOk(client, 'mail_list_messages', { from: PII.email, pageSize: 5 });
    await callOk(client, 'calendar_list_events', { start: '2025-10-01T00:00:00Z', end: '2025-10-02T00:00:00Z' });
    await callError(client, 'mail_send', { to: ['not-an-address'], subject: PII.subject, body: PII.body });
    await drain();

    const output = logs.text() + JSON.stringify(spans.getFinishedSpans().map((s) => [s.name, s.attributes, s.events]));
    expect(logs.lines().length).toBeGreaterThan(5);
    assertNoPii(output);
    for (const raw of [token, megan.mail, megan.displayName, megan.tenantId]) expect(output).not.toContain(raw);
  });
});
