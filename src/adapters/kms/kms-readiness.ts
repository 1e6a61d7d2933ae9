import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { ReadinessCheck } from '../http/readiness.js';

/** The current key exists and is enabled (needs `kms:DescribeKey` on it). */
export function kmsReadinessCheck(client: KMSClient, keyId: string): ReadinessCheck {
  return {
    name: 'kms',
    check: async (signal: AbortSignal): Promise<void> => {
      const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: keyId }), {
        abortSignal: signal,
      });
      if (KeyMetadata?.KeyState !== 'Enabled')
        throw new Error(`KMS key is ${KeyMetadata?.KeyState ?? 'unknown'}`);
    },
  };
}
