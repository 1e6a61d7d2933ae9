import { CircuitState } from 'cockatiel';
import type { CircuitBreakerPolicy } from 'cockatiel';
import type { BreakerState, Telemetry } from './telemetry.js';

const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  // Isolated is an operator's manual open: on the dashboards it is an open breaker.
  [CircuitState.Isolated]: 'open',
};

/**
 * Reports a cockatiel circuit breaker's transitions (state_changes, open events, a span event) for
 * one family. The resilience policy calls this once per breaker it builds; returns an unsubscribe.
 */
export function observeBreaker(breaker: CircuitBreakerPolicy, family: string, telemetry: Telemetry): () => void {
  const subscription = breaker.onStateChange((state) => telemetry.recordBreakerState({ family, state: STATES[state] }));
  return () => subscription.dispose();
}
