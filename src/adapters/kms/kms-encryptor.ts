import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { RetryPolicy } from 'cockatiel';
import { DomainError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { Decrypted, EncryptionContext, Encryptor } from '../../ports/encryptor.js';
import { awsRetryPolicy, isTransientAwsError } from '../aws/aws-retry.js';
import type { AwsRetryOptions } from '../aws/aws-retry.js';
import {
  associatedData,
  decodeEnvelope,
  encodeEnvelope,
  openAesGcm,
  sealAesGcm,
  undecryptable,
} from '../crypto/aes-gcm-envelope.js';
import { DataKeyCache } from './data-key-cache.js';
import type { CachedDataKey } from './data-key-cache.js';

const VERSION = 'kms1';

/** KMS answers meaning "this ciphertext will never open": the user must sign in again. */
const UNDECRYPTABLE = new Set(['InvalidCiphertextException', 'IncorrectKeyException', 'NotFoundException']);

export interface KmsEncryptorOptions {
  /** The current KMS key (key id or ARN); recorded in each envelope to detect stale data after rotation. */
  keyId: string;
  dataKeyMaxAgeMs?: number;
  dataKeyMaxUses?: number;
  dataKeyCacheEntries?: number;
  retry?: AwsRetryOptions;
}

/**
 * Envelope encryption: a KMS data key (AES-256, bound to the encryption context) seals the data
 * locally with AES-256-GCM, the same context bound again as AAD. Envelope:
 * `kms1.<keyId>.<encryptedDataKey>.<iv>.<ciphertext>.<tag>` (base64url fields). Data keys are
 * reused per context and per encrypted key within the configured age and use bounds.
 */
export class KmsEncryptor implements Encryptor {
  private readonly sealingKeys: DataKeyCache;
  private readonly openingKeys: DataKeyCache;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly kms: KMSClient,
    private readonly clock: Clock,
    private readonly options: KmsEncryptorOptions,
  ) {
    const limits = {
      maxAgeMs: options.dataKeyMaxAgeMs ?? 5 * 60_000,
      maxUses: options.dataKeyMaxUses ?? 1_000,
      maxEntries: options.dataKeyCacheEntries ?? 10_000,
    };
    this.sealingKeys = new DataKeyCache(limits);
    this.openingKeys = new DataKeyCache(limits);
    this.policy = awsRetryPolicy(options.retry);
  }

  async encrypt(plaintext: Uint8Array, context: EncryptionContext): Promise<string> {
    const dataKey = await this.sealingKey(context);
    const sealed = sealAesGcm(dataKey.plaintext, plaintext, associatedData(VERSION, dataKey.keyId, context));
    return encodeEnvelope(VERSION, [
      Buffer.from(dataKey.keyId, 'utf8'),
      dataKey.encrypted,
      sealed.iv,
      sealed.ciphertext,
      sealed.tag,
    ]);
  }

  async decrypt(sealed: string, context: EncryptionContext): Promise<Decrypted> {
    const [keyIdBytes, encryptedKey, iv, ciphertext, tag] = decodeEnvelope(sealed, VERSION, 5);
    if (
      keyIdBytes === undefined ||
      encryptedKey === undefined ||
      iv === undefined ||
      ciphertext === undefined ||
      tag === undefined
    ) {
      throw undecryptable();
    }
    const keyId = keyIdBytes.toString('utf8');
    const dataKey = await this.openingKey(encryptedKey, context);
    const plaintext = openAesGcm(dataKey, { iv, ciphertext, tag }, associatedData(VERSION, keyId, context));
    return { plaintext, stale: keyId !== this.options.keyId };
  }

  private async sealingKey(context: EncryptionContext): Promise<CachedDataKey> {
    const cacheKey = contextKey(context);
    const cached = this.sealingKeys.take(cacheKey, this.clock.now());
    // A copy: another call may evict (and zero) the cached key before this one uses it.
    if (cached !== undefined) return { ...cached, plaintext: Buffer.from(cached.plaintext) };
    const answer = await this.call('GenerateDataKey', () =>
      this.kms.send(
        new GenerateDataKeyCommand({
          KeyId: this.options.keyId,
          KeySpec: 'AES_256',
          EncryptionContext: kmsContext(context),
        }),
      ),
    );
    if (answer.Plaintext === undefined || answer.CiphertextBlob === undefined) {
      throw new DomainError('unavailable', 'kms.unavailable', 'KMS returned no data key.');
    }
    const entry: CachedDataKey = {
      plaintext: Buffer.from(answer.Plaintext),
      encrypted: answer.CiphertextBlob,
      keyId: this.options.keyId,
      createdAt: this.clock.now(),
      uses: 1,
    };
    this.sealingKeys.put(cacheKey, { ...entry, plaintext: Buffer.from(entry.plaintext) });
    return entry;
  }

  private async openingKey(encryptedKey: Buffer, context: EncryptionContext): Promise<Buffer> {
    // The encryption context is part of the cache key: a key opened for one user is never reused for another.
    const cacheKey = `${encryptedKey.toString('base64')}|${contextKey(context)}`;
    const cached = this.openingKeys.take(cacheKey, this.clock.now());
    if (cached !== undefined) return Buffer.from(cached.plaintext);
    const answer = await this.call('Decrypt', () =>
      this.kms.send(
        new DecryptCommand({ CiphertextBlob: encryptedKey, EncryptionContext: kmsContext(context) }),
      ),
    );
    if (answer.Plaintext === undefined || answer.Plaintext.length !== 32) throw undecryptable();
    const plaintext = Buffer.from(answer.Plaintext);
    this.openingKeys.put(cacheKey, {
      plaintext: Buffer.from(plaintext),
      encrypted: encryptedKey,
      keyId: '',
      createdAt: this.clock.now(),
      uses: 1,
    });
    return plaintext;
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(send);
    } catch (error) {
      // Only a Decrypt refusal is about the data; a GenerateDataKey refusal is our configuration.
      const name = error instanceof Error ? error.name : '';
      if (operation === 'Decrypt' && UNDECRYPTABLE.has(name)) throw undecryptable(error);
      if (isTransientAwsError(error)) {
        throw new DomainError(
          'unavailable',
          'kms.unavailable',
          `KMS ${operation} is unavailable; try again shortly.`,
          { cause: error },
        );
      }
      throw new DomainError('internal', 'kms.failed', `KMS ${operation} failed.`, { cause: error });
    }
  }
}

function kmsContext(context: EncryptionContext): Record<string, string> {
  return { tenantId: context.tenantId, userId: context.userId, purpose: context.purpose };
}

function contextKey(context: EncryptionContext): string {
  return JSON.stringify([context.tenantId, context.userId, context.purpose]);
}
