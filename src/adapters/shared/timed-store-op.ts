/** Reports each store operation's duration, and the failure's name when it failed (metrics). */
export type StoreOpObserver = (operation: string, durationMs: number, error?: string) => void;

/**
 * Runs one store operation, timed for `observe`. `failureName` names a thrown error for the metric
 * tag, or returns undefined when the error is an answer rather than a failure of the store.
 */
export async function timedStoreOp<T>(observe: StoreOpObserver | undefined, operation: string, run: () => Promise<T>, failureName: (error: unknown) => string | undefined): Promise<T> {
  if (observe === undefined) return run();
  const started = performance.now();
  try {
    const result = await run();
    observe(operation, performance.now() - started);
    return result;
  } catch (error) {
    observe(operation, performance.now() - started, failureName(error));
    throw error;
  }
}
