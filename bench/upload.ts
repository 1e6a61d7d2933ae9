import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mintDevToken } from '../src/adapters/http/dev-token-authenticator.js';
import { mintSandboxAccessToken } from '../src/adapters/sandbox/access-token.js';
import { ALL_SANDBOX_SCOPES } from '../src/adapters/sandbox/sandbox-server.js';
import { seededUser } from '../src/adapters/sandbox/seed.js';
import { generatedBytes, putBinary, sha256 } from '../test/support/generated-bytes.js';
import { cpuSecondsOf, memoryOf, resetPeakMemory, startChild, type Child } from './support.js';

const MB = 1000 * 1000;
const SECRET = 'upload-bench-secret-0123456789abcdef';
/** What the client hands to its socket at a time (both the raw copy and the binary PUT). */
const PIECE = 256 * 1024;

export interface UploadBenchCase {
  name: string;
  /** Median of the timed runs. */
  mbPerSecond: number;
  runsMBps: number[];
  /** Throughput relative to the raw loopback copy. */
  ratioToRaw: number;
  /** Peak RSS (VmHWM) of the gateway process over the timed runs, minus its RSS just before them. */
  rssGrowthMiB: number;
  /**
   * CPU seconds (all threads) per 100 MB of the gateway, the sandbox (OneDrive's stand-in) and
   * this client process: independent of how busy the machine is. With 2 cores their sum bounds
   * the throughput at 2 × 100 MB / sum.
   */
  cpuSecondsPer100MB: { gateway: number; sandbox: number; client: number };
  ok: boolean;
}

export interface UploadBenchResult {
  bytes: number;
  /** Median of the raw copy runs. */
  rawLoopbackMBps: number;
  rawRunsMBps: number[];
  rawCpuSecondsPer100MB: { sink: number; client: number };
  /** The same copy through a trivial relay process (two hops, like client -> gateway -> Graph). */
  relayMBps: number;
  /** The client uploading straight to the sandbox's upload URL in the gateway's fragments: the most OneDrive's stand-in takes. */
  directToSandboxMBps: number;
  relayCpuSecondsPer100MB: { relay: number; sink: number; client: number };
  cases: UploadBenchCase[];
  /** 1-minute load average when the bench started and ended (2 cores: above ~1 the numbers are suspect). */
  load: { before: number; after: number };
  targets: { rssGrowthMiB: number; minRatioToRaw: number };
}

/**
 * 100 MB through PUT /uploads/{id} and through files_upload_chunk, against a raw loopback copy.
 * The gateway, the sandbox (standing in for OneDrive) and the raw copy's sink each run in their
 * own process; only the clients run here. Each case gets a fresh gateway process, warmed up
 * with small uploads of the same kind, so its RSS growth is that case's alone. Gateway settings
 * come from the environment (e.g. `UPLOAD_FRAGMENT_BYTES=... npm run bench -- upload`).
 */
export async function runUploadBench(options: { bytes?: number; runs?: number } = {}): Promise<UploadBenchResult> {
  const bytes = options.bytes ?? Number(process.env.BENCH_UPLOAD_BYTES ?? 100 * MB);
  const runs = options.runs ?? Number(process.env.BENCH_UPLOAD_RUNS ?? 3);
  const loadBefore = loadavg()[0]!;
  const data = generatedBytes(bytes, 7);
  const expected = sha256(data);
  // The sandbox stands in for OneDrive, whose cost is not the gateway's. It keeps each file in memory,
  // and V8 (which counts that external memory against a heap limit of ~1.7 x its 36 MB of seed data)
  // then runs a full collection every few tens of MB received: ~1 CPU second per 100 MB on 2 shared
  // cores. A larger growth factor lets its old generation grow instead (BENCH_SANDBOX_NODE_FLAGS overrides).
  const sandboxFlags = (process.env.BENCH_SANDBOX_NODE_FLAGS ?? '--heap-growing-percent=400').split(' ').filter(Boolean);
  const sandbox = await startChild('src/app/sandbox-main.ts', { SANDBOX_PORT: '0', SANDBOX_SECRET: SECRET }, undefined, [...sandboxFlags, ...profileFlags('sandbox')]);
  try {
    const copies = await copyRuns(data, runs);
    const raw = median(copies.raw.speeds);
    const per100MB = (seconds: number): number => round(((seconds / runs) * 100 * MB) / bytes);
    const cases: UploadBenchCase[] = [];
    const user = seededUser('megan');
    const storedSha = async (itemId: string): Promise<string> => {
      const token = mintSandboxAccessToken(SECRET, { tenantId: user.tenantId, userId: user.id, scopes: [...ALL_SANDBOX_SCOPES], expiresAt: Date.now() + 600_000 });
      const res = await fetch(`${sandbox.url}/v1.0/me/drive/items/${encodeURIComponent(itemId)}/content`, { headers: { authorization: `Bearer ${token}` } });
      const hash = createHash('sha256');
      for await (const piece of res.body as unknown as AsyncIterable<Uint8Array>) hash.update(piece);
      return hash.digest('hex');
    };

    const directRuns: number[] = [];
    await directUpload(sandbox.url, user, generatedBytes(2 * MB, 1));
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      await directUpload(sandbox.url, user, data);
      directRuns.push(bytes / MB / ((performance.now() - started) / 1000));
    }

    const measure = async (name: string, upload: (gateway: Connected, data: Buffer, file: string) => Promise<string>): Promise<void> => {
      const gateway = await connectGateway(sandbox.url);
      try {
        const pid = gateway.child.process.pid!;
        // Warm-up (JIT, connection pools) with the same kind of upload, then let the process settle.
        for (let i = 0; i < 3; i++) await upload(gateway, generatedBytes(2 * MB + 12_345, i), `warmup-${i}.bin`);
        await sleep(500);
        resetPeakMemory(pid);
        const before = memoryOf(pid).rssMiB;
        const cpu = { gateway: 0, sandbox: 0, client: 0 };
        const speeds: number[] = [];
        const items: string[] = [];
        for (let run = 0; run < runs; run++) {
          const cpuBefore = { gateway: cpuSecondsOf(pid), sandbox: cpuSecondsOf(sandbox.process.pid!), client: cpuSecondsOf(process.pid) };
          const started = performance.now();
          // One file name for every run: `replace` lets the sandbox drop the previous copy.
          items.push(await upload(gateway, data, 'bench.bin'));
          speeds.push(bytes / MB / ((performance.now() - started) / 1000));
          cpu.gateway += cpuSecondsOf(pid) - cpuBefore.gateway;
          cpu.sandbox += cpuSecondsOf(sandbox.process.pid!) - cpuBefore.sandbox;
          cpu.client += cpuSecondsOf(process.pid) - cpuBefore.client;
        }
        // Checked after the timed runs, so reading the files back costs none of them anything.
        const ok = (await storedSha(items.at(-1) ?? '')) === expected;
        const mbPerSecond = median(speeds);
        cases.push({
          name,
          mbPerSecond: round(mbPerSecond),
          runsMBps: speeds.map(round),
          ratioToRaw: round(mbPerSecond / raw),
          rssGrowthMiB: round(memoryOf(pid).peakMiB - before),
          cpuSecondsPer100MB: { gateway: per100MB(cpu.gateway), sandbox: per100MB(cpu.sandbox), client: per100MB(cpu.client) },
          ok,
        });
      } finally {
        await gateway.client.close();
        await gateway.child.stop();
      }
    };
    await measure('PUT /uploads/{id}', binaryUpload);
    await measure('files_upload_chunk', toolsUpload);
    return {
      bytes,
      rawLoopbackMBps: round(raw),
      rawRunsMBps: copies.raw.speeds.map(round),
      rawCpuSecondsPer100MB: { sink: per100MB(copies.raw.cpu.sink ?? 0), client: per100MB(copies.raw.cpu.client ?? 0) },
      relayMBps: round(median(copies.relay.speeds)),
      directToSandboxMBps: round(median(directRuns)),
      relayCpuSecondsPer100MB: { relay: per100MB(copies.relay.cpu.relay ?? 0), sink: per100MB(copies.relay.cpu.sink ?? 0), client: per100MB(copies.relay.cpu.client ?? 0) },
      cases,
      load: { before: round(loadBefore), after: round(loadavg()[0]!) },
      targets: { rssGrowthMiB: 64, minRatioToRaw: 0.5 },
    };
  } finally {
    await sandbox.stop();
  }
}

interface Connected {
  child: Child;
  client: Client;
  token: string;
}

/** `BENCH_CPU_PROF=<dir>` writes CPU profiles of the gateway and sandbox processes there (a folder per process). */
function profileFlags(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}/${name}-${Date.now()}`] : [];
}

async function connectGateway(sandboxUrl: string): Promise<Connected> {
  const child = await startChild(
    'src/app/main.ts',
    {
      PORT: '0',
      SANDBOX_EMBEDDED: 'false',
      SANDBOX_SECRET: SECRET,
      GRAPH_BASE_URL: `${sandboxUrl}/v1.0`,
      LOG_LEVEL: 'error',
      // The per-user limit would count the chunk calls of one fast client; this measures the data path.
      RATE_LIMIT_ENABLED: 'false',
    },
    undefined,
    // As in production (Dockerfile, Terraform): lets the gateway collect after large chunk bodies.
    ['--expose-gc', ...profileFlags('gateway')],
  );
  const user = seededUser('megan');
  const token = mintDevToken(SECRET, { tenantId: user.tenantId, objectId: user.id });
  const client = new Client({ name: 'upload-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${child.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return { child, client, token };
}

const round = (n: number): number => Math.round(n * 100) / 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function* pieces(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += PIECE) yield data.subarray(at, at + PIECE);
}

interface CopyRuns {
  speeds: number[];
  /** CPU seconds of each named process over the timed runs. */
  cpu: Record<string, number>;
}

/**
 * The same bytes, sent the same way as the binary PUT, to a process that only counts them: directly
 * (the raw copy), and through a relay process that forwards them (the floor for any two-hop path).
 */
async function copyRuns(data: Buffer, runs: number): Promise<{ raw: CopyRuns; relay: CopyRuns }> {
  const sink = await startChild('bench/support/byte-sink.ts', {});
  const relay = await startChild('bench/support/byte-relay.ts', { SINK_URL: sink.url });
  try {
    const measureCopy = async (url: string, processes: Record<string, number>): Promise<CopyRuns> => {
      const once = async (): Promise<number> => {
        const started = performance.now();
        const res = await putBinary(url, pieces(data), { token: 'unused', contentLength: data.length });
        if ((res.body as unknown) !== data.length) throw new Error(`sink counted ${JSON.stringify(res.body)} bytes`);
        return data.length / MB / ((performance.now() - started) / 1000);
      };
      await once();
      const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSecondsOf(pid)]));
      const speeds: number[] = [];
      for (let run = 0; run < runs; run++) speeds.push(await once());
      return { speeds, cpu: Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSecondsOf(pid) - (before[name] ?? 0)])) };
    };
    const raw = await measureCopy(sink.url, { sink: sink.process.pid!, client: process.pid });
    const relayed = await measureCopy(relay.url, { relay: relay.process.pid!, sink: sink.process.pid!, client: process.pid });
    return { raw, relay: relayed };
  } finally {
    await relay.stop();
    await sink.stop();
  }
}

/** createUploadSession on the sandbox and PUTs of UPLOAD_FRAGMENT_BYTES (default 10 MiB), one after another, as the gateway sends them. */
async function directUpload(sandboxUrl: string, user: { tenantId: string; id: string }, data: Buffer): Promise<void> {
  const fragment = Number(process.env.UPLOAD_FRAGMENT_BYTES ?? 32 * 327_680);
  const token = mintSandboxAccessToken(SECRET, { tenantId: user.tenantId, userId: user.id, scopes: [...ALL_SANDBOX_SCOPES], expiresAt: Date.now() + 600_000 });
  const created = await fetch(`${sandboxUrl}/v1.0/me/drive/root:/bench-direct.bin:/createUploadSession`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'replace' } }),
  });
  const { uploadUrl } = (await created.json()) as { uploadUrl: string };
  for (let start = 0; start < data.length; start += fragment) {
    const piece = data.subarray(start, start + fragment);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(uploadUrl, { method: 'PUT', headers: { 'content-length': String(piece.length), 'content-range': `bytes ${start}-${start + piece.length - 1}/${data.length}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(piece);
    });
    if (status >= 300) throw new Error(`direct upload: ${status}`);
  }
}

async function call<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

async function binaryUpload({ client, child, token }: Connected, data: Buffer, name: string): Promise<string> {
  const started = await call<{ uploadPath: string }>(client, 'files_upload_start', { name, size: data.length, conflict: 'replace' });
  const res = await putBinary(`${child.url}${started.uploadPath}`, pieces(data), { token, contentLength: data.length });
  if (res.status !== 200) throw new Error(`binary upload: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.item as { id: string }).id;
}

/** Chunks of the size files_upload_start recommends, as an MCP-only client would send them. */
async function toolsUpload({ client }: Connected, data: Buffer, name: string): Promise<string> {
  const started = await call<{ uploadId: string; chunkBytes: number }>(client, 'files_upload_start', { name, size: data.length, conflict: 'replace' });
  let status: { item?: { id: string } } = {};
  for (let offset = 0; offset < data.length; offset += started.chunkBytes) {
    const content = data.subarray(offset, offset + started.chunkBytes).toString('base64');
    status = await call(client, 'files_upload_chunk', { uploadId: started.uploadId, offset, content });
  }
  return status.item?.id ?? '';
}

export function printUploadBench(result: UploadBenchResult): void {
  console.log(`upload benchmark: ${result.bytes / MB} MB; load average (1 min) ${result.load.before} before, ${result.load.after} after`);
  const rawCpu = result.rawCpuSecondsPer100MB;
  const relayCpu = result.relayCpuSecondsPer100MB;
  console.log(
    `raw loopback copy (client -> sink process): ${result.rawLoopbackMBps} MB/s (runs ${result.rawRunsMBps.join(', ')}); CPU s/100MB sink ${rawCpu.sink}, client ${rawCpu.client}`,
  );
  console.log(
    `reference relay (client -> relay -> sink): ${result.relayMBps} MB/s = ${round(result.relayMBps / result.rawLoopbackMBps)} x raw; CPU s/100MB relay ${relayCpu.relay}, sink ${relayCpu.sink}, client ${relayCpu.client}`,
  );
  console.log(`straight to the sandbox (client -> sandbox upload URL, the gateway's fragments): ${result.directToSandboxMBps} MB/s = ${round(result.directToSandboxMBps / result.rawLoopbackMBps)} x raw`);
  console.log('case                   MB/s   x raw   RSS growth MiB   CPU s/100MB gateway/sandbox/client   sha256   runs MB/s');
  for (const c of result.cases) {
    const cpu = `${c.cpuSecondsPer100MB.gateway} / ${c.cpuSecondsPer100MB.sandbox} / ${c.cpuSecondsPer100MB.client}`;
    const cells = [c.mbPerSecond, c.ratioToRaw, c.rssGrowthMiB].map(String);
    const verdict = c.ok ? 'ok' : 'MISMATCH';
    console.log(`${c.name.padEnd(20)} ${cells[0]?.padStart(7)} ${cells[1]?.padStart(7)} ${cells[2]?.padStart(16)}   ${cpu.padStart(34)}   ${verdict.padEnd(6)}   ${c.runsMBps.join(', ')}`);
  }
  console.log(`targets: RSS growth < ${result.targets.rssGrowthMiB} MiB; throughput >= ${result.targets.minRatioToRaw} x raw`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printUploadBench(await runUploadBench());
}
