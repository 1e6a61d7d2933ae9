import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.js';
import type { FeatureFlagStore, FlagOverrides } from '../../ports/feature-flags.js';
import { validFlagOverrides } from '../shared/flag-overrides.js';
import { flagOverridesSchema, NO_OVERRIDES, parseJsonRecord } from '../shared/stored-records.js';
import { readString, str } from './attribute-values.js';
import type { DynamoExecutor } from './dynamo-executor.js';

export const FLAGS_ITEM_KEY = 'overrides';

/**
 * Operator overrides as one item. Every request reads flags, so one item would be a hot key:
 * `cacheMs` keeps the value in process for a few seconds (a change reaches all replicas within it).
 */
export class DynamoFeatureFlagStore implements FeatureFlagStore {
  private cached: { value: FlagOverrides; until: number } | null = null;

  constructor(
    private readonly dynamo: DynamoExecutor,
    private readonly table: string,
    private readonly clock: Clock,
    private readonly cacheMs = 0,
  ) {}

  async read(): Promise<FlagOverrides> {
    if (this.cached !== null && this.cached.until > this.clock.now()) return this.cached.value;
    const { Item: item } = await this.dynamo.send('flags read', (c) =>
      c.send(
        new GetItemCommand({ TableName: this.table, Key: { pk: str(FLAGS_ITEM_KEY) }, ConsistentRead: true }),
      ),
    );
    const value = parseJsonRecord(flagOverridesSchema, readString(item, 'data')) ?? { ...NO_OVERRIDES };
    if (this.cacheMs > 0) this.cached = { value, until: this.clock.now() + this.cacheMs };
    return value;
  }

  async write(overrides: FlagOverrides): Promise<void> {
    const valid = validFlagOverrides(overrides);
    await this.dynamo.send('flags write', (c) =>
      c.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: str(FLAGS_ITEM_KEY), data: str(JSON.stringify(valid)) },
        }),
      ),
    );
    this.cached = null;
  }
}
