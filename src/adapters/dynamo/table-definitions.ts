import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Table names, per environment (e.g. `m365-prod-tokens`). */
export interface DynamoTableNames {
  tokens: string;
  sessions: string;
  idempotency: string;
  locks: string;
  flags: string;
  oauth: string;
  uploads: string;
}

export const defaultTableNames = (prefix: string): DynamoTableNames => ({
  tokens: `${prefix}tokens`,
  sessions: `${prefix}sessions`,
  idempotency: `${prefix}idempotency`,
  locks: `${prefix}locks`,
  flags: `${prefix}flags`,
  oauth: `${prefix}oauth`,
  uploads: `${prefix}uploads`,
});

export const TOKENS_BY_TENANT_INDEX = 'by-tenant';
export const SESSIONS_BY_USER_INDEX = 'by-user';
/** oauth table: every code, access and refresh token of one grant (revocation sweep). */
export const OAUTH_BY_GRANT_INDEX = 'by-grant';
/** oauth table: grants by tenant shard and user (user and tenant revocation). */
export const OAUTH_BY_TENANT_INDEX = 'by-tenant';
/** The TTL attribute of every table (epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Every table uses on-demand capacity and a string partition key `pk`; the key design is in
 * docs/storage.md. AWS tables are provisioned outside the service module with these definitions
 * (index names match `dynamodb_tables` in terraform/environments); `createTables` uses them for emulators.
 */
export function tableDefinitions(names: DynamoTableNames): CreateTableCommandInput[] {
  const simple = (TableName: string): CreateTableCommandInput => ({
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  return [
    {
      ...simple(names.tokens),
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'tenantShard', AttributeType: 'S' },
        { AttributeName: 'objectId', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: TOKENS_BY_TENANT_INDEX,
          KeySchema: [
            { AttributeName: 'tenantShard', KeyType: 'HASH' },
            { AttributeName: 'objectId', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['expiresAtMs'] },
        },
      ],
    },
    {
      ...simple(names.sessions),
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'userKey', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: SESSIONS_BY_USER_INDEX,
          KeySchema: [{ AttributeName: 'userKey', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    },
    simple(names.idempotency),
    simple(names.locks),
    simple(names.flags),
    {
      ...simple(names.oauth),
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'grantId', AttributeType: 'S' },
        { AttributeName: 'tenantShard', AttributeType: 'S' },
        { AttributeName: 'objectId', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: OAUTH_BY_GRANT_INDEX,
          KeySchema: [{ AttributeName: 'grantId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: OAUTH_BY_TENANT_INDEX,
          KeySchema: [
            { AttributeName: 'tenantShard', KeyType: 'HASH' },
            { AttributeName: 'objectId', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['expiresAtMs'] },
        },
      ],
    },
    simple(names.uploads),
  ];
}
