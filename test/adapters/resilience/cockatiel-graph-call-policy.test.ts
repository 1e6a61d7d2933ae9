import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../../src/app/gateway.js';
import { callError, callOk, connectClient, startTestGateway } from '../../support/gateway.js';

/** The policy inside a real gateway against the sandbox's fault injection, over real HTTP. */
describe('CockatielGraphCallPolicy against the sandbox', () => {
  let gateway: RunningGateway;
  let megan: Client;
  let alex: Client;

  beforeAll(async () => {
    gateway = await startTestGateway({
      GRAPH_RETRY_MAX_ATTEMPTS: '3',
      GRAPH_RETRY_BASE_DELAY_MS: '50',
      GRAPH_BREAKER_FAILURES: '3',
      GRAPH_BREAKER_HALF_OPEN_MS: '1000',
      RATE_LIMIT_ENABLED: 'false',
    });
    megan = await connectClient(gateway, 'megan');
    alex = await connectClient(gateway, 'alex');
  });
  afterAll(async () => {
    await megan.close();
    await alex.close();
    await gateway.close();
  });
  afterEach(() => {
    gateway.sandbox!.faults.clear();
    gateway.sandbox!.stats.reset();
  });

  const timestamps = (route: string): number[] => gateway.sandbox!.stats.snapshot().routes[route]?.timestamps ?? [];

  it('waits out a 429 storm with Retry-After 2 and never hammers; exhausted retries give throttled with retryAfterSeconds 2', async () => {
    gateway.sandbox!.faults.set({ status429Rate: 1, retryAfterSeconds: 2, pathPattern: '/me/messages$' });
    const started = Date.now();
    // Two users of one tenant at once: each waits out the Retry-After of their own mailbox.
    const errors = await Promise.all([callError(megan, 'mail_list_messages'), callError(alex, 'mail_list_messages')]);
    const elapsed = Date.now() - started;
    for (const error of errors) {
      expect(error.category).toBe('throttled');
      expect(error.retryable).toBe(true);
      expect(error.retryAfterSeconds).toBe(2);
    }
    const seen = timestamps('GET /v1.0/me/messages').sort((a, b) => a - b);
    expect(seen.length).toBe(6); // 2 callers × 3 attempts, nothing more
    // Requests come in waves, one per caller, at least ~2 s apart: at most 2 in any 1.5 s window.
    for (let i = 0; i < seen.length; i++) {
      expect(seen.filter((t) => t >= seen[i]! && t < seen[i]! + 1500).length).toBeLessThanOrEqual(2);
    }
    expect(elapsed).toBeGreaterThanOrEqual(3_900);
  });

  it('succeeds once the storm ends within the allowed waits', async () => {
    gateway.sandbox!.faults.set({ status429Rate: 1, retryAfterSeconds: 1, pathPattern: '/me/messages$', count: 1 });
    const page = await callOk<{ messages: unknown[] }>(megan, 'mail_list_messages', { pageSize: 1 });
    expect(page.messages).toHaveLength(1);
    const seen = timestamps('GET /v1.0/me/messages');
    expect(seen).toHaveLength(2);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(990);
  });

  it('opens the search breaker on 503 bursts while mail keeps working, then recovers through a half-open probe', async () => {
    gateway.sandbox!.faults.set({ status503Rate: 1, pathPattern: '/search/query' });
    // Search is idempotent: a call makes up to 3 attempts; the breaker opens after 3 failures.
    // (One entity per call: the gateway sends one Graph request per entity type.)
    const first = await callError(megan, 'search_query', { query: 'budget', entities: ['driveItem'] });
    expect(first.category).toBe('unavailable');
    const open = await callError(megan, 'search_query', { query: 'budget', entities: ['driveItem'] });
    expect(open).toMatchObject({ category: 'unavailable', code: 'graph.circuitOpen', retryable: true });
    const searchRequests = gateway.sandbox!.stats.snapshot().routes['POST /v1.0/search/query']?.count;
    expect(searchRequests).toBe(3);
    await callOk(megan, 'mail_list_messages', { pageSize: 1 });
    await callOk(megan, 'files_list', {});
    expect(gateway.sandbox!.stats.snapshot().routes['POST /v1.0/search/query']?.count).toBe(3);

    gateway.sandbox!.faults.clear();
    await new Promise((r) => setTimeout(r, 1_100));
    await callOk(megan, 'search_query', { query: 'budget', entities: ['driveItem'] }); // the probe
    await callOk(megan, 'search_query', { query: 'budget', entities: ['driveItem'] });
    expect(gateway.sandbox!.stats.snapshot().routes['POST /v1.0/search/query']?.count).toBe(5);
  });

  it('retries a send answered 503 (Graph did not act) and the mailbox gets one copy', async () => {
    const subject = `retry-503 ${Date.now()}`;
    gateway.sandbox!.faults.set({ status503Rate: 1, pathPattern: '/sendMail', count: 1 });
    await callOk(megan, 'mail_send', { to: [seededUser('adele').mail], subject, body: 'hello' });
    expect(gateway.sandbox!.stats.snapshot().routes['POST /v1.0/me/sendMail']?.count).toBe(2);
    expect(copies(gateway, 'adele', subject)).toBe(1);
  });

  it('does not retry a send whose connection was reset after Graph acted: one copy, and a clear outcomeUnknown', async () => {
    const subject = `reset-after ${Date.now()}`;
    gateway.sandbox!.faults.set({ resetRate: 1, phase: 'after', pathPattern: '/sendMail', count: 1 });
    const error = await callError(megan, 'mail_send', { to: [seededUser('adele').mail], subject, body: 'hello' });
    expect(error).toMatchObject({ category: 'unavailable', code: 'graph.outcomeUnknown' });
    expect(gateway.sandbox!.stats.snapshot().routes['POST /v1.0/me/sendMail']?.count).toBe(1);
    expect(copies(gateway, 'adele', subject)).toBe(1);
  });

  // Last: it leaves Diego's mailbox and fabrikam's files backing off for two minutes.
  it('fails fast with throttled when Retry-After exceeds GRAPH_RETRY_AFTER_MAX_SECONDS; only that mailbox, or for files that tenant, backs off', async () => {
    gateway.sandbox!.faults.set({ status429Rate: 1, retryAfterSeconds: 120, pathPattern: 'calendarView', count: 1 });
    const diego = await connectClient(gateway, 'diego');
    const patti = await connectClient(gateway, 'patti');
    const january = { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' };
    const error = await callError(diego, 'calendar_list_events', january);
    expect(error.category).toBe('throttled');
    expect(error.retryAfterSeconds).toBe(120);
    expect(gateway.sandbox!.stats.snapshot().total).toBe(1);
    // Outlook throttles per mailbox: Diego's mail fails fast without calling Graph…
    const mail = await callError(diego, 'mail_list_messages');
    expect(mail).toMatchObject({ category: 'throttled', code: 'graph.mailboxBackoff' });
    expect(mail.retryAfterSeconds).toBeGreaterThan(100);
    expect(gateway.sandbox!.stats.snapshot().total).toBe(1);
    // …while Patti's mailbox in the same tenant, and Diego's files (not Outlook), are untouched.
    await callOk(patti, 'calendar_list_events', january);
    await callOk(diego, 'files_list', {});
    expect(gateway.sandbox!.stats.snapshot().total).toBe(3);

    // Files back off for the whole tenant: Patti's files fail fast, the other tenant's do not.
    gateway.sandbox!.faults.set({ status429Rate: 1, retryAfterSeconds: 120, pathPattern: '/drive/', count: 1 });
    expect(await callError(diego, 'files_list', {})).toMatchObject({ category: 'throttled', retryAfterSeconds: 120 });
    const files = await callError(patti, 'files_list', {});
    expect(files).toMatchObject({ category: 'throttled', code: 'graph.tenantBackoff' });
    expect(gateway.sandbox!.stats.snapshot().total).toBe(4);
    await callOk(megan, 'files_list', {});
    await diego.close();
    await patti.close();
  });
});

function copies(gateway: RunningGateway, user: string, subject: string): number {
  const mailbox = gateway.sandbox!.tenant.mailbox(seededUser(user).id);
  return mailbox.sorted.filter((m) => m.subject === subject && m.folder === 'inbox').length;
}
