import { DeleteItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoGrantStore } from '../../../src/adapters/dynamo/dynamo-grant-store.js';
import { DynamoOAuthClientStore } from '../../../src/adapters/dynamo/dynamo-oauth-client-store.js';
import { TENANT_SHARDS } from '../../../src/adapters/dynamo/tenant-shards.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { hashSecret, newSecret } from '../../../src/adapters/oauth/secrets.js';
import type { Grant } from '../../../src/ports/grant-store.js';
import { describeGrantStoreContract } from '../../contracts/grant-store.contract.js';
import { describeOAuthClientStoreContract } from '../../contracts/oauth-client-store.contract.js';
import { makeTestTable, startDynalite } from '../../support/dynamo.js';
import type { Emulator, TestTables } from '../../support/dynamo.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startDynalite();
});
afterAll(async () => emulator.close());

/** A fresh `oauth` table per case: the contract reuses ids across cases. */
async function fresh(): Promise<{ t: TestTables; clock: ManualClock; grants: DynamoGrantStore; clients: DynamoOAuthClientStore }> {
  const t = await makeTestTable(emulator.endpoint, 'oauth');
  const clock = new ManualClock(Date.now());
  return {
    t,
    clock,
    grants: new DynamoGrantStore(t.executor, t.names.oauth, clock),
    clients: new DynamoOAuthClientStore(t.executor, t.names.oauth, clock),
  };
}

describeGrantStoreContract({
  name: 'DynamoGrantStore',
  make: async () => {
    const { grants, clock } = await fresh();
    return { store: grants, advance: (ms) => clock.advance(ms), now: () => clock.now() };
  },
});

describeOAuthClientStoreContract({
  name: 'DynamoOAuthClientStore',
  make: async () => {
    const { clients, clock } = await fresh();
    return { store: clients, advance: (ms) => clock.advance(ms), now: () => clock.now() };
  },
});

const grant = (now: number, id: string, tenantId: string, objectId: string): Grant => ({
  id,
  tenantId,
  objectId,
  subject: `sub-${objectId}`,
  clientId: 'client',
  scopes: ['Mail.Read'],
  resource: 'https://gw/mcp',
  createdAt: now,
  expiresAt: now + 3_600_000,
});

describe('DynamoGrantStore items', () => {
  it('stores only hashes of codes, tokens and pending ids: a table scan finds none of the secrets', async () => {
    const { t, grants, clients, clock } = await fresh();
    const now = clock.now();
    const secrets = { code: newSecret(), access: newSecret(), refresh: newSecret(), request: newSecret(), entraState: newSecret() };
    const g = grant(now, newSecret(), 'tenant-s', 'user-s');
    await grants.putGrant(g);
    await grants.putPending(secrets.request, { clientId: 'client', redirectUri: 'https://c/cb', state: 's', codeChallenge: 'x', resource: g.resource, scopes: [], csrfToken: 'k', expiresAt: now + 60_000 });
    await grants.putPending(secrets.entraState, { clientId: 'client', redirectUri: 'https://c/cb', state: 's', codeChallenge: 'x', resource: g.resource, scopes: [], csrfToken: 'k', expiresAt: now + 60_000 });
    await grants.putCode(hashSecret(secrets.code), { grantId: g.id, clientId: 'client', redirectUri: 'https://c/cb', codeChallenge: 'x', resource: g.resource, expiresAt: now + 60_000 });
    await grants.putAccessToken(hashSecret(secrets.access), { grantId: g.id, tenantId: g.tenantId, objectId: g.objectId, subject: g.subject, clientId: 'client', scopes: [], resource: g.resource, expiresAt: now + 60_000 });
    await grants.putRefreshToken(hashSecret(secrets.refresh), { grantId: g.id, expiresAt: now + 60_000 });
    await clients.put({ clientId: 'https://client.example/metadata.json', clientName: 'n', redirectUris: ['https://c/cb'], source: 'metadata_document', createdAt: now, expiresAt: now + 60_000 });

    const { Items: items = [] } = await t.client.send(new ScanCommand({ TableName: t.names.oauth }));
    expect(items).toHaveLength(7);
    const dump = JSON.stringify(items);
    for (const secret of Object.values(secrets)) expect(dump).not.toContain(secret);
    // Still usable through their hashes.
    expect(await grants.getPending(secrets.request)).not.toBeNull();
    expect(await grants.takeCode(hashSecret(secrets.code))).toMatchObject({ grantId: g.id });
    expect(await grants.getAccessToken(hashSecret(secrets.access))).toMatchObject({ grantId: g.id });
    expect((await grants.useRefreshToken(hashSecret(secrets.refresh)))?.status).toBe('fresh');
    for (const item of items) {
      expect(item.expiresAt?.N).toBe(String(Math.ceil((now + (item.pk?.S?.startsWith('grant#') ? 3_600_000 : 60_000)) / 1000)));
    }
  });

  it('an access token dies with its grant even where the revocation sweep has not reached it', async () => {
    const { t, grants, clock } = await fresh();
    const g = grant(clock.now(), 'g-direct', 't1', 'o1');
    await grants.putGrant(g);
    await grants.putAccessToken('a', { grantId: g.id, tenantId: 't1', objectId: 'o1', subject: 's', clientId: 'client', scopes: [], resource: g.resource, expiresAt: clock.now() + 60_000 });
    expect(await grants.getAccessToken('a')).not.toBeNull();
    // Only the grant item goes, as after a revocation whose sweep was cut short.
    await t.client.send(new DeleteItemCommand({ TableName: t.names.oauth, Key: { pk: { S: 'grant#g-direct' } } }));
    expect(await grants.getAccessToken('a')).toBeNull();
  });

  it('the revocation sweep deletes every dependent item of the grant and nothing else', async () => {
    const { t, grants, clock } = await fresh();
    const now = clock.now();
    for (const id of ['g-many', 'g-other']) await grants.putGrant(grant(now, id, 't1', 'o1'));
    // A long-lived grant: many rotations leave many (used) refresh tokens and access tokens behind.
    for (let i = 0; i < 60; i += 1) {
      await grants.putAccessToken(`a${i}`, { grantId: 'g-many', tenantId: 't1', objectId: 'o1', subject: 's', clientId: 'client', scopes: [], resource: 'r', expiresAt: now + 60_000 });
      await grants.putRefreshToken(`r${i}`, { grantId: 'g-many', expiresAt: now + 60_000 });
    }
    await grants.putAccessToken('keep', { grantId: 'g-other', tenantId: 't1', objectId: 'o1', subject: 's', clientId: 'client', scopes: [], resource: 'r', expiresAt: now + 60_000 });
    await grants.revokeGrant('g-many');
    const { Items: items = [] } = await t.client.send(new ScanCommand({ TableName: t.names.oauth }));
    expect(items.map((i) => i.pk?.S).sort()).toEqual(['access#keep', 'grant#g-other']);
    expect(await grants.grantIdsForUser('t1', 'o1')).toEqual(['g-other']);
  });

  it('lists a tenant across all its shards and a user from one shard, skipping expired grants', async () => {
    const { t, grants, clock } = await fresh();
    const now = clock.now();
    for (let i = 0; i < 40; i += 1) await grants.putGrant(grant(now, `g${i}`, 'tenant-big', `user-${i}`));
    await grants.putGrant({ ...grant(now, 'g-short', 'tenant-big', 'user-0'), expiresAt: now + 1_000 });
    await grants.putGrant(grant(now, 'g-elsewhere', 'tenant-other', 'user-0'));
    const { Items: items = [] } = await t.client.send(new ScanCommand({ TableName: t.names.oauth }));
    const shards = new Set(items.filter((i) => i.pk?.S?.startsWith('grant#') && i.tenantShard?.S?.startsWith('tenant-big#')).map((i) => i.tenantShard?.S));
    expect(shards.size).toBe(TENANT_SHARDS);

    expect((await grants.grantIdsForTenant('tenant-big')).sort()).toEqual([...Array.from({ length: 40 }, (_, i) => `g${i}`), 'g-short'].sort());
    expect((await grants.grantIdsForUser('tenant-big', 'user-0')).sort()).toEqual(['g-short', 'g0']);
    clock.advance(1_001);
    expect(await grants.grantIdsForUser('tenant-big', 'user-0')).toEqual(['g0']);
    expect(await grants.grantIdsForUser('tenant-other', 'user-0')).toEqual(['g-elsewhere']);
  });

  it('reads malformed items as absent, never as a crash', async () => {
    const { t, grants, clients, clock } = await fresh();
    const future = String(clock.now() + 60_000);
    const plant = async (pk: string, extra: Record<string, { S: string } | { N: string }> = {}): Promise<void> =>
      void (await t.client.send(new PutItemCommand({ TableName: t.names.oauth, Item: { pk: { S: pk }, data: { S: '{"grantId":' }, expiresAtMs: { N: future }, ...extra } })));
    await plant('grant#bad');
    await plant('access#bad');
    await plant('code#bad');
    await plant('refresh#bad', { grantId: { S: 'g' }, expiresAtMs: { S: 'later' } });
    expect(await grants.getGrant('bad')).toBeNull();
    expect(await grants.getAccessToken('bad')).toBeNull();
    expect(await grants.takeCode('bad')).toBeNull();
    expect(await grants.useRefreshToken('bad')).toBeNull();
    expect(await clients.get('bad')).toBeNull();
  });

  it('keeps pre-registered clients without an expiry (no TTL attribute)', async () => {
    const { t, clients, clock } = await fresh();
    await clients.put({ clientId: 'pre', clientName: 'Pre', redirectUris: ['https://p/cb'], source: 'preregistered', createdAt: clock.now() });
    clock.advance(400 * 86_400_000);
    expect(await clients.get('pre')).toMatchObject({ clientId: 'pre' });
    const { Items: items = [] } = await t.client.send(new ScanCommand({ TableName: t.names.oauth }));
    expect(items[0]?.expiresAt).toBeUndefined();
  });
});
