/** A dependency `/readyz` probes (Graph reachability, Redis, DynamoDB, KMS, ...). */
export interface ReadinessCheck {
  name: string;
  check(signal: AbortSignal): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

export async function probe(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async (c): Promise<[string, string]> => {
      try {
        await c.check(AbortSignal.timeout(timeoutMs));
        return [c.name, 'ok'];
      } catch (error) {
        return [c.name, error instanceof Error ? error.message.slice(0, 200) : 'failed'];
      }
    }),
  );
  return { ready: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
}
