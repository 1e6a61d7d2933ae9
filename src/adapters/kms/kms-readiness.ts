import { GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { ReadinessCheck } from '../http/readiness.js';

/**
 * The current key can make a data key: exactly what encryption needs, and within what the task
 * role may do (GenerateDataKey with the agreed context keys; no kms:DescribeKey).
 */
export function kmsReadinessCheck(client: KMSClient, keyId: string): ReadinessCheck {
  return {
    name: 'kms',
    check: async (signal: AbortSignal): Promise<void> => {
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
    },
  };
}
