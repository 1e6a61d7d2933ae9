import { afterEach, describe, expect, it } from 'vitest';
import type { FeatureFlagStore, FlagOverrides } from '../../src/ports/feature-flags.js';

export interface FeatureFlagStoreSubject {
  store: FeatureFlagStore;
  /** Plants malformed data where the overrides live. */
  corrupt(): Promise<void>;
  close?(): Promise<void>;
}

export function describeFeatureFlagStoreContract(options: {
  make: () => Promise<FeatureFlagStoreSubject>;
}): void {
  describe('FeatureFlagStore contract', () => {
    let subject: FeatureFlagStoreSubject | undefined;
    const make = async (): Promise<FeatureFlagStoreSubject> => (subject = await options.make());
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });

    it('reads no overrides before any write', async () => {
      const s = await make();
      expect(await s.store.read()).toEqual({ disabled: [] });
    });

    it('round-trips overrides and replaces them on the next write', async () => {
      const s = await make();
      const overrides: FlagOverrides = {
        disabled: ['mail_send', 'files'],
        readOnly: true,
        concurrency: { mail: 2 },
        backoffMultiplier: 2,
      };
      await s.store.write(overrides);
      expect(await s.store.read()).toEqual(overrides);
      await s.store.write({ disabled: [] });
      expect(await s.store.read()).toEqual({ disabled: [] });
    });

    it('rejects malformed overrides with invalid_input', async () => {
      const s = await make();
      await expect(s.store.write({ disabled: [], backoffMultiplier: 0.5 })).rejects.toMatchObject({
        category: 'invalid_input',
        code: 'flags.invalid',
      });
      expect(await s.store.read()).toEqual({ disabled: [] });
    });

    it('reads malformed stored data as no overrides, without throwing', async () => {
      const s = await make();
      await s.store.write({ disabled: ['mail'] });
      await s.corrupt();
      expect(await s.store.read()).toEqual({ disabled: [] });
    });
  });
}
