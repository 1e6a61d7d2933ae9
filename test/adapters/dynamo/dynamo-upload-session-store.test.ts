import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoUploadSessionStore } from '../../../src/adapters/dynamo/dynamo-upload-session-store.js';
import { ManualClock } from '../../../src/adapters/memory/manual-clock.js';
import { describeUploadSessionStoreContract, makeUploadState } from '../../contracts/upload-session-store.contract.js';
import { emulatorTablesForFile } from '../../support/dynamo.js';

const t = emulatorTablesForFile();

describeUploadSessionStoreContract({
  make: async () => {
    const clock = new ManualClock(Date.now());
    return { store: new DynamoUploadSessionStore(t.executor, t.names.uploads, clock), now: () => clock.now(), advance: async (ms) => clock.advance(ms) };
  },
});

describe('DynamoUploadSessionStore items', () => {
  it('keeps the version, the exact expiry and a TTL in attributes of their own, the tail as Binary', async () => {
    const clock = new ManualClock(Date.now());
    const store = new DynamoUploadSessionStore(t.executor, t.names.uploads, clock);
    const state = makeUploadState(clock.now(), { tail: new Uint8Array([7, 8, 9]) });
    await store.create(state);
    const { Items } = await t.client.send(new ScanCommand({ TableName: t.names.uploads }));
    const item = Items?.find((i) => i['pk']?.S === state.id);
    expect(item?.['version']).toEqual({ N: '1' });
    expect(item?.['tail']?.B).toEqual(new Uint8Array([7, 8, 9]));
    const expiresAtMs = Number(item?.['expiresAtMs']?.N);
    expect(expiresAtMs).toBe(state.expiresAt + 24 * 60 * 60 * 1000);
    expect(Number(item?.['expiresAt']?.N)).toBe(Math.ceil(expiresAtMs / 1000));
  });

  it('reads a malformed record or one stored under another id as absent', async () => {
    const clock = new ManualClock(Date.now());
    const store = new DynamoUploadSessionStore(t.executor, t.names.uploads, clock);
    const state = makeUploadState(clock.now());
    const live = { N: String(clock.now() + 60_000) };
    await t.client.send(new PutItemCommand({ TableName: t.names.uploads, Item: { pk: { S: state.id }, data: { S: '{"id":' }, version: { N: '1' }, expiresAtMs: live } }));
    expect(await store.get(state.id)).toBeNull();
    const other = makeUploadState(clock.now());
    const { tail: _tail, version: _version, ...record } = other;
    await t.client.send(
      new PutItemCommand({ TableName: t.names.uploads, Item: { pk: { S: state.id }, data: { S: JSON.stringify(record) }, version: { N: '1' }, expiresAtMs: live } }),
    );
    expect(await store.get(state.id)).toBeNull();
  });
});
