import { describeFailure } from '../../adapters/http/readiness.js';
import { isDomainError } from '../../domain/errors.js';

/** One line for an operator: the typed category when there is one, never a stack. */
export function adminFailure(error: unknown): string {
  return isDomainError(error) ? `${error.category}: ${error.message}` : describeFailure(error);
}

export const NEEDS_AWS_STORAGE =
  'needs STORAGE=aws (with AWS_REGION, KMS_KEY_ID, DYNAMODB_TABLE_*; DYNAMODB_ENDPOINT/KMS_ENDPOINT for emulators)';
