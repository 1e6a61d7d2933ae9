/** Short TTLs keep suites fast for adapters whose expiry runs on real time (Redis). */
export const SHORT_TTL_MS = 150;
export const PAST_SHORT_TTL_MS = 250;
