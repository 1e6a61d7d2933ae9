import { createHash } from 'node:crypto';

/**
 * Per-tenant index keys are split over this many GSI partitions, chosen by the user, so one large
 * tenant's index writes never land on a single partition (docs/storage.md, "Hot partitions").
 */
export const TENANT_SHARDS = 8;

/** `tenantId#n`, n = sha256(objectId) mod TENANT_SHARDS: all of one user's entries share a shard. */
export function tenantShard(tenantId: string, objectId: string): string {
  const shard = createHash('sha256').update(objectId).digest().readUInt32BE(0) % TENANT_SHARDS;
  return `${tenantId}#${shard}`;
}

/** Every shard key of a tenant, for queries over the whole tenant. */
export function tenantShards(tenantId: string): string[] {
  return Array.from({ length: TENANT_SHARDS }, (_, i) => `${tenantId}#${i}`);
}
