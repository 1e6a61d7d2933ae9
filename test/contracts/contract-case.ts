import { it } from 'vitest';

/** Per-case skips: the case name and the reason it does not apply to an adapter. */
export type ContractSkips = Readonly<Record<string, string>>;

/** Registers one contract case; a skipped case names itself and the reason. */
export function contractCase(skips: ContractSkips | undefined, name: string, fn: () => Promise<void>): void {
  const reason = skips?.[name];
  if (reason === undefined) it(name, fn);
  else it.skip(`${name} (skipped: ${reason})`, fn);
}

/** Short TTLs keep suites fast for adapters whose expiry runs on real time (Redis). */
export const SHORT_TTL_MS = 150;
export const PAST_SHORT_TTL_MS = 250;
