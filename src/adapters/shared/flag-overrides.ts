import { DomainError } from '../../domain/errors.js';
import type { FlagOverrides } from '../../ports/feature-flags.js';
import { flagOverridesSchema } from './stored-records.js';

/** Validates operator input before it is stored, so every replica reads a well-formed value. */
export function validFlagOverrides(overrides: FlagOverrides): FlagOverrides {
  const parsed = flagOverridesSchema.safeParse(overrides);
  if (!parsed.success) {
    throw new DomainError(
      'invalid_input',
      'flags.invalid',
      `Invalid feature-flag overrides: ${parsed.error.issues[0]?.message ?? 'bad shape'}`,
    );
  }
  return parsed.data;
}
