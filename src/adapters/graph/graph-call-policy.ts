/** The Graph workload a call belongs to: resilience policies (bulkheads, breakers) are per family. */
export type GraphFamily = 'mail' | 'calendar' | 'files' | 'search' | 'profile' | 'contacts' | 'tasks' | 'teams';

export interface GraphCallContext {
  family: GraphFamily;
  tenantId: string;
  /** The signed-in user's object id: `/me` calls address this user's mailbox, drive and chats. */
  userId: string;
  /** Only idempotent calls may be retried; a sent mail must never be sent twice. */
  idempotent: boolean;
  /** A stable operation name for metrics and logs, e.g. `mail.listMessages`. */
  operation: string;
}

/**
 * Wraps every Graph call (retry, breaker, bulkhead, timeout). `fn` receives a signal the policy may
 * abort; failures reach the policy as DomainErrors carrying `category`, `httpStatus` and
 * `retryAfterSeconds`, which is all a retry decision needs.
 */
export interface GraphCallPolicy {
  execute<T>(ctx: GraphCallContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

/** No resilience: one attempt, never aborted by the policy. */
export class PassThroughGraphCallPolicy implements GraphCallPolicy {
  execute<T>(_ctx: GraphCallContext, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return fn(new AbortController().signal);
  }
}
