/** The collector `node --expose-gc` puts on globalThis (Node 20+ accepts these options). */
export type GcFunction = (options: { type: 'major'; execution: 'async' }) => unknown;

/** Bodies below this do not make large objects (V8 puts objects over 128 KiB in large-object space). */
const LARGE_BODY_BYTES = 128 * 1024;

/**
 * Asks V8 for a major collection after every `everyBytes` of large `/mcp` request bodies.
 *
 * Why: a files_upload_chunk body is megabytes of base64, parsed into megabyte strings. Scavenges
 * run during every such call (its own socket reads and allocations prompt them), and each one
 * promotes the large strings still referenced at that moment, the call's and the previous call's
 * while its response is being finished, to the old generation, which V8 collects only once it has
 * about doubled. Measured (bench/upload.ts, 100 MB in 3.75 MiB chunks): the gateway's RSS grew by
 * 80-200 MiB without this; with a collection every 24 MiB of bodies by ~48 MiB (16 MiB: ~30 MiB),
 * for 0.1-0.3 s more CPU per 100 MB. Smaller chunks barely help (1 MiB chunks: ~105 MiB).
 * Without `--expose-gc` there is nothing to call and this does nothing.
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
