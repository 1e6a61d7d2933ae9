/** A dependency `/readyz` probes (Graph reachability, Redis, DynamoDB, KMS, ...). */
export interface ReadinessCheck {
  name: string;
  check(signal: AbortSignal): Promise<void>;
  /**
   * False for a dependency the service can do without (Redis, behind its fallbacks): a failure is
   * reported as `degraded: ...` but keeps the replica ready, since pulling every replica because
   * of it would itself be the outage. Default true.
   */
  critical?: boolean;
  /** The configuration to look at when it fails (start-up message), e.g. `DYNAMODB_TABLE_*, AWS_REGION`. */
  hint?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

export interface CheckOutcome {
  check: ReadinessCheck;
  /** Undefined when it passed. */
  failure?: string;
}

/** Runs every check in parallel, each under its own deadline. */
export async function runChecks(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<CheckOutcome[]> {
  return Promise.all(
    checks.map(async (check): Promise<CheckOutcome> => {
      try {
        await check.check(AbortSignal.timeout(timeoutMs));
        return { check };
      } catch (error) {
        return { check, failure: describeFailure(error).slice(0, 200) };
      }
    }),
  );
}

export async function probe(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const outcomes = await runChecks(checks, timeoutMs);
  return {
    ready: outcomes.every((o) => o.failure === undefined || o.check.critical === false),
    checks: Object.fromEntries(
      outcomes.map((o) => [
        o.check.name,
        o.failure === undefined ? 'ok' : o.check.critical === false ? `degraded: ${o.failure}` : o.failure,
      ]),
    ),
  };
}

/**
 * A one-line reason. Connection failures often come as an AggregateError with an empty message
 * (one error per address tried) or carry only a `code`; credential errors only a name.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return 'failed';
  const code = (error as Error & { code?: unknown }).code;
  if (error.message.trim().length > 0) return error.message.split('\n')[0] ?? error.message;
  if (error instanceof AggregateError) {
    const inner = error.errors.find((e): e is Error => e instanceof Error && e.message.length > 0);
    if (inner) return inner.message;
  }
  return typeof code === 'string' ? code : error.name;
}
