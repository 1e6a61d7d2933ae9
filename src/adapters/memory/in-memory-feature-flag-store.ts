import type { FeatureFlagStore, FlagOverrides } from '../../ports/feature-flags.js';
import { validFlagOverrides } from '../shared/flag-overrides.js';
import { flagOverridesSchema, NO_OVERRIDES, parseJsonRecord } from '../shared/stored-records.js';

/** The backing-map key under which the overrides are kept. */
export const FLAGS_ENTRY_KEY = 'flags';

/** Operator overrides held in process; malformed stored data reads as "no overrides". */
export class InMemoryFeatureFlagStore implements FeatureFlagStore {
  constructor(private readonly entries: Map<string, string> = new Map()) {}

  async read(): Promise<FlagOverrides> {
    return parseJsonRecord(flagOverridesSchema, this.entries.get(FLAGS_ENTRY_KEY)) ?? { ...NO_OVERRIDES };
  }

  async write(overrides: FlagOverrides): Promise<void> {
    this.entries.set(FLAGS_ENTRY_KEY, JSON.stringify(validFlagOverrides(overrides)));
  }
}
