import type { UploadSessionState } from '../../domain/upload-session.js';
import type { Clock } from '../../ports/clock.js';
import type { UploadSessionStore } from '../../ports/upload-session-store.js';

/** How long an ended or expired session is still answered (with its status) before it is forgotten. */
export const UPLOAD_SESSION_GRACE_MS = 24 * 60 * 60 * 1000;

/** Upload sessions in a Map; copies in and out so callers cannot mutate what is stored. */
export class InMemoryUploadSessionStore implements UploadSessionStore {
  private readonly sessions = new Map<string, UploadSessionState>();

  constructor(private readonly clock: Clock) {}

  async create(state: UploadSessionState): Promise<void> {
    this.sweep();
    if (this.sessions.has(state.id)) throw new Error(`upload session ${state.id} exists`);
    this.sessions.set(state.id, copy({ ...state, version: 1 }));
  }

  async get(id: string): Promise<UploadSessionState | null> {
    const state = this.sessions.get(id);
    if (state === undefined || this.expired(state)) return null;
    return copy(state);
  }

  async update(next: UploadSessionState, expectedVersion: number): Promise<boolean> {
    const current = this.sessions.get(next.id);
    if (current === undefined || this.expired(current) || current.version !== expectedVersion) return false;
    this.sessions.set(next.id, copy({ ...next, version: expectedVersion + 1 }));
    return true;
  }

  async delete(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  private expired(state: UploadSessionState): boolean {
    return state.expiresAt + UPLOAD_SESSION_GRACE_MS <= this.clock.now();
  }

  private sweep(): void {
    for (const [id, state] of this.sessions) if (this.expired(state)) this.sessions.delete(id);
  }
}

function copy(state: UploadSessionState): UploadSessionState {
  return structuredClone({ ...state, tail: new Uint8Array(state.tail) });
}
