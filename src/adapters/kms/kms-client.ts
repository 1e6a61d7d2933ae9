import { KMSClient } from '@aws-sdk/client-kms';

export interface KmsClientOptions {
  region: string;
  /** Set for the test endpoint or a VPC endpoint; omitted in AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  requestTimeoutMs?: number;
}

/** One attempt per call: KmsEncryptor owns retries (cockatiel) and maps the final failure. */
export function createKmsClient(options: KmsClientOptions): KMSClient {
  return new KMSClient({
    region: options.region,
    maxAttempts: 1,
    requestHandler: { requestTimeout: options.requestTimeoutMs ?? 2_000, connectionTimeout: 1_000 },
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
}
