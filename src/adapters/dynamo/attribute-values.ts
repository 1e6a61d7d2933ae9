import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Minimal AttributeValue mapping for the flat items these tables hold. */
export type Item = Record<string, AttributeValue>;

export const str = (value: string): AttributeValue => ({ S: value });
export const num = (value: number): AttributeValue => ({ N: String(value) });

export function readString(item: Item | undefined, name: string): string | undefined {
  const value = item?.[name];
  return value !== undefined && 'S' in value && typeof value.S === 'string' ? value.S : undefined;
}

export function readNumber(item: Item | undefined, name: string): number | undefined {
  const value = item?.[name];
  if (value === undefined || !('N' in value) || typeof value.N !== 'string') return undefined;
  const parsed = Number(value.N);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** DynamoDB's TTL attribute wants epoch seconds; records keep epoch ms for exact expiry on read. */
export const ttlSeconds = (epochMs: number): number => Math.ceil(epochMs / 1000);
