/** The collector `node --expose-gc` puts on globalThis (Node 20+ accepts these options). */
export type GcFunction = (options: { type: 'major'; execution: 'async' }) => unknown;

/** Bodies below this do not make large objects (V8 puts objects over 128 KiB in large-object space). */
const LARGE_BODY_BYTES = 128 * 1024;

/**
 * Asks V8 for a major collection after every `everyBytes` of large `/mcp` request bodies.
 *
 * Why: a files_upload_chunk body is megabytes of base64, parsed into megabyte strings. Whenever a
 * scavenge runs while such a call is in flight (several do per call, prompted by the request's
 * own allocations), V8 promotes the call's large strings to the old generation, which it collects
 * only once it has about doubled: measured, 100 MB of 4 MiB chunks grew the gateway's RSS by
 * 100-170 MiB. Collecting every 16 MiB of such bodies bounds that at ~40 MiB for ~0.2 s CPU per
 * 100 MB (bench/upload.ts). Without `--expose-gc` there is nothing to call and this does nothing.
 */
export class HeapReclaimer {
  private pending = 0;

  constructor(
    private readonly gc: GcFunction | undefined,
    private readonly everyBytes: number,
  ) {}

  /** A request with a body of `bytes` has been answered: its strings are garbage now. */
  finished(bytes: number): void {
    if (this.gc === undefined || this.everyBytes === 0 || bytes < LARGE_BODY_BYTES) return;
    this.pending += bytes;
    if (this.pending < this.everyBytes) return;
    this.pending = 0;
    void this.gc({ type: 'major', execution: 'async' });
  }
}
