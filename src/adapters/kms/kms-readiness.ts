import { GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Clock } from '../../ports/clock.js';
import type { ReadinessCheck } from '../http/readiness.js';

export interface KmsReadinessCache {
  /** How long a probe's outcome (pass or failure) answers later checks; 0 probes every time. */
  cacheMs: number;
  clock: Clock;
}

/**
 * The current key can make a data key: exactly what encryption needs, and within what the task
 * role may do (GenerateDataKey with the agreed context keys; no kms:DescribeKey). `/readyz` may be
 * polled often and GenerateDataKey counts against the account's KMS request quota, so the outcome
 * is reused for `cacheMs` and concurrent checks share one probe.
 */
export function kmsReadinessCheck(client: KMSClient, keyId: string, cache?: KmsReadinessCache): ReadinessCheck {
  let last: { at: number; outcome: Promise<void> } | undefined;
  const probe = async (signal: AbortSignal): Promise<void> => {
    const answer = await client.send(
      new GenerateDataKeyCommand({
        KeyId: keyId,
        KeySpec: 'AES_256',
        EncryptionContext: { tenantId: 'readiness', userId: 'readiness', purpose: 'readiness' },
      }),
      { abortSignal: signal },
    );
    answer.Plaintext?.fill(0);
    if (answer.CiphertextBlob === undefined) throw new Error('KMS returned no data key');
  };
  return {
    name: 'kms',
    check: (signal: AbortSignal): Promise<void> => {
      if (cache === undefined || cache.cacheMs === 0) return probe(signal);
      const now = cache.clock.now();
      if (last !== undefined && now - last.at < cache.cacheMs) return last.outcome;
      const outcome = probe(signal);
      // The stored promise is awaited by later callers; this no-op keeps it from counting as unhandled.
      outcome.catch(() => undefined);
      last = { at: now, outcome };
      return outcome;
    },
  };
}
