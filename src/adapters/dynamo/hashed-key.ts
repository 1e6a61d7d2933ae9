import { createHash } from 'node:crypto';

/** base64url SHA-256 of a key part that is secret or unbounded in length (43 characters). */
export const hashedKey = (value: string): string => createHash('sha256').update(value, 'utf8').digest('base64url');
