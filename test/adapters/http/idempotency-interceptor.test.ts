import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { IdempotencyInterceptor } from '../../../src/adapters/http/idempotency-interceptor.js';
import { DomainError } from '../../../src/domain/errors.js';
import { RedisIdempotencyStore } from '../../../src/adapters/redis/redis-idempotency-store.js';
import { mailTools } from '../../../src/adapters/http/tools/mail-tools.js';
import type { ToolContext } from '../../../src/adapters/http/tools/tool-definition.js';
import { seededUser } from '../../../src/adapters/sandbox/seed.js';
import type { RunningGateway } from '../../../src/app/gateway.js';
import type { SendMail } from '../../../src/domain/use-cases/send-mail.js';
import { callError, callOk, connectClient, startTestGateway } from '../../support/gateway.js';
import { connectTestRedis, type TestRedis } from '../../support/redis.js';

const sendCount = (g: RunningGateway): number => g.sandbox!.stats.snapshot().routes['POST /v1.0/me/sendMail']?.count ?? 0;
const copies = (g: RunningGateway, subject: string): number =>
  g.sandbox!.tenant.mailbox(seededUser('adele').id).sorted.filter((m) => m.subject === subject && m.folder === 'inbox').length;

describe('idempotent mail_send through the gateway', () => {
  let gateway: RunningGateway;
  let megan: Client;
  const mail = (subject: string, key?: string): Record<string, unknown> => ({
    to: [seededUser('adele').mail],
    subject,
    body: 'hello',
    ...(key ? { idempotency_key: key } : {}),
  });

  beforeAll(async () => {
    gateway = await startTestGateway({ RATE_LIMIT_ENABLED: 'false', IDEMPOTENCY_WAIT_MS: '5000', GRAPH_BREAKER_FAILURES: '10' });
    megan = await connectClient(gateway, 'megan');
  });
  afterAll(async () => {
    await megan.close();
    await gateway.close();
  });
  afterEach(() => {
    gateway.sandbox!.faults.clear();
    gateway.sandbox!.stats.reset();
  });

  it('returns the first result for a repeat with the same key, without a second Graph call', async () => {
    const subject = `idem-repeat ${Date.now()}`;
    const first = await callOk(megan, 'mail_send', mail(subject, 'key-repeat-0001'));
    const second = await callOk(megan, 'mail_send', mail(subject, 'key-repeat-0001'));
    expect(second).toEqual(first);
    expect(sendCount(gateway)).toBe(1);
    expect(copies(gateway, subject)).toBe(1);
  });

  it('refuses the same key with different arguments as conflict', async () => {
    await callOk(megan, 'mail_send', mail(`idem-a ${Date.now()}`, 'key-conflict-01'));
    const error = await callError(megan, 'mail_send', mail(`idem-b ${Date.now()}`, 'key-conflict-01'));
    expect(error).toMatchObject({ category: 'conflict', code: 'idempotency.keyReused', retryable: false });
    expect(sendCount(gateway)).toBe(1);
  });

  it('scopes keys per user: another user with the same key sends their own mail', async () => {
    const subject = `idem-scope ${Date.now()}`;
    await callOk(megan, 'mail_send', mail(subject, 'key-scope-0001'));
    const alex = await connectClient(gateway, 'alex');
    await callOk(alex, 'mail_send', mail(subject, 'key-scope-0001'));
    await alex.close();
    expect(copies(gateway, subject)).toBe(2);
  });

  it('lets concurrent duplicates wait for the first: one Graph call, one copy, the same answer for all', async () => {
    const subject = `idem-concurrent ${Date.now()}`;
    gateway.sandbox!.faults.set({ latencyMs: 600, pathPattern: '/sendMail' });
    const results = await Promise.all([1, 2, 3, 4].map(() => callOk(megan, 'mail_send', mail(subject, 'key-concurrent-1'))));
    for (const r of results) expect(r).toEqual(results[0]);
    expect(sendCount(gateway)).toBe(1);
    expect(copies(gateway, subject)).toBe(1);
  });

  it('after a reset once Graph acted: the client retry with the same key gets outcomeUnknown, never a second copy', async () => {
    const subject = `idem-reset ${Date.now()}`;
    gateway.sandbox!.faults.set({ resetRate: 1, phase: 'after', pathPattern: '/sendMail', count: 1 });
    const first = await callError(megan, 'mail_send', mail(subject, 'key-reset-00001'));
    expect(first.code).toBe('graph.outcomeUnknown');
    const retry = await callError(megan, 'mail_send', mail(subject, 'key-reset-00001'));
    expect(retry).toMatchObject({ category: 'conflict', code: 'idempotency.outcomeUnknown' });
    expect(sendCount(gateway)).toBe(1);
    expect(copies(gateway, subject)).toBe(1);
  });

  it('releases the key when Graph proved it did nothing, so the same key can succeed later', async () => {
    const subject = `idem-503 ${Date.now()}`;
    // Every attempt (4 by default) answered 503: Graph did not send.
    gateway.sandbox!.faults.set({ status503Rate: 1, pathPattern: '/sendMail', count: 4 });
    const first = await callError(megan, 'mail_send', mail(subject, 'key-release-001'));
    expect(first).toMatchObject({ category: 'unavailable', retryable: true });
    expect(sendCount(gateway)).toBe(4);
    expect(copies(gateway, subject)).toBe(0);
    await callOk(megan, 'mail_send', mail(subject, 'key-release-001'));
    expect(copies(gateway, subject)).toBe(1);
  });
});

describe('IdempotencyInterceptor across replicas sharing Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await connectTestRedis();
  });
  afterAll(async () => {
    await redis.close();
  });

  it('two interceptors (two replicas) run a duplicate once; the second waits and replays the first result', async () => {
    const clock = { now: () => Date.now() };
    const replicaA = new IdempotencyInterceptor(new RedisIdempotencyStore(redis.redis, clock), clock, { ttlMs: 60_000, waitMs: 5_000, pollMs: 20 });
    const replicaB = new IdempotencyInterceptor(new RedisIdempotencyStore(redis.redis, clock), clock, { ttlMs: 60_000, waitMs: 5_000, pollMs: 20 });
    const tool = mailTools({ listMessages: {} as never, getMessage: {} as never, sendMail: {} as SendMail }).find((t) => t.name === 'mail_send')!;
    const context: ToolContext = { caller: { tenantId: 't1', objectId: 'u1', subject: 'u1', clientId: 'c', scopes: [] }, correlationId: 'x' };
    const input = { to: ['a@b.example'], subject: 's', body: 'b', idempotency_key: 'replica-key-01' };
    let sends = 0;
    const send = async (): Promise<unknown> => {
      sends += 1;
      await new Promise((r) => setTimeout(r, 200));
      return { status: 'sent', recipients: 1 };
    };
    const [a, b] = await Promise.all([replicaA.intercept(tool, context, input, send), replicaB.intercept(tool, context, input, send)]);
    expect(a).toEqual({ status: 'sent', recipients: 1 });
    expect(b).toEqual(a);
    expect(sends).toBe(1);
  });

  it('gives a retryable in-progress answer when the first call outlives the wait', async () => {
    const clock = { now: () => Date.now() };
    const store = new RedisIdempotencyStore(redis.redis, clock);
    const replica = new IdempotencyInterceptor(store, clock, { ttlMs: 60_000, waitMs: 100, pollMs: 20 });
    const tool = mailTools({ listMessages: {} as never, getMessage: {} as never, sendMail: {} as SendMail }).find((t) => t.name === 'mail_send')!;
    const context: ToolContext = { caller: { tenantId: 't1', objectId: 'u1', subject: 'u1', clientId: 'c', scopes: [] }, correlationId: 'x' };
    const input = { to: ['a@b.example'], subject: 's', body: 'b', idempotency_key: 'replica-key-02' };
    const slow = replica.intercept(tool, context, input, () => new Promise((r) => setTimeout(() => r({ status: 'sent', recipients: 1 }), 500)));
    await new Promise((r) => setTimeout(r, 20));
    const error = await replica.intercept(tool, context, input, async () => {
      throw new Error('must not run');
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ category: 'unavailable', code: 'idempotency.inProgress', retryable: true });
    await slow;
  });
});
