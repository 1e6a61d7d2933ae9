import { fork, type ChildProcess } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mintDevToken } from '../src/adapters/http/dev-token-authenticator.js';
import { startSandbox } from '../src/adapters/sandbox/sandbox-server.js';
import { seededUser } from '../src/adapters/sandbox/seed.js';
import { generatedBytes, putBinary, sha256 } from '../test/support/generated-bytes.js';

const MB = 1000 * 1000;
const SECRET = 'upload-bench-secret-0123456789abcdef';
const PIECE = 256 * 1024;

export interface UploadBenchCase {
  name: string;
  mbPerSecond: number;
  /** Throughput relative to the raw loopback copy. */
  ratioToRaw: number;
  /** Peak RSS of the gateway process during the upload, minus its RSS just before. */
  rssGrowthMiB: number;
  /** CPU time the gateway process spent per 100 MB (independent of how busy the machine is). */
  gatewayCpuSecondsPer100MB: number;
  ok: boolean;
}

export interface UploadBenchResult {
  bytes: number;
  rawLoopbackMBps: number;
  cases: UploadBenchCase[];
  targets: { rssGrowthMiB: number; minRatioToRaw: number };
}

/** 100 MB through PUT /uploads/{id} and through files_upload_chunk, against a raw loopback copy; the gateway runs in a child process. */
export async function runUploadBench(options: { bytes?: number } = {}): Promise<UploadBenchResult> {
  const bytes = options.bytes ?? 100 * MB;
  const data = generatedBytes(bytes, 7);
  const expected = sha256(data);
  const sandbox = await startSandbox({ tokenSecret: SECRET });
  const child = fork(fileURLToPath(new URL('./support/gateway-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : [])],
    env: { ...process.env, PORT: '0', NODE_ENV: 'test', SANDBOX_SECRET: SECRET, SANDBOX_EMBEDDED: 'false', GRAPH_BASE_URL: `${sandbox.url}/v1.0`, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const url = (await ask(child, null, 'ready')).url as string;
    const user = seededUser('megan');
    const token = mintDevToken(SECRET, { tenantId: user.tenantId, objectId: user.id });
    const client = new Client({ name: 'upload-bench', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));

    const raw = await rawLoopbackMBps(data);
    const storedSha = (itemId: string): string => {
      const node = sandbox.tenant.drive(user.id).get(itemId);
      return node?.content?.kind === 'bytes' ? sha256(node.content.data) : '';
    };
    const cases: UploadBenchCase[] = [];

    // Warm-up (JIT, connection pools), then measure.
    await binaryUpload(client, url, token, generatedBytes(2 * MB, 1), 'warmup.bin');

    const measure = async (name: string, upload: () => Promise<string>): Promise<void> => {
      await ask(child, 'reset', 'reset');
      const before = await ask(child, 'peak', 'peak');
      const started = performance.now();
      const itemId = await upload();
      const seconds = (performance.now() - started) / 1000;
      const after = await ask(child, 'peak', 'peak');
      const cpu = ((after.cpuSeconds as number) - (before.cpuSeconds as number)) * ((100 * MB) / bytes);
      cases.push(benchCase(name, bytes, seconds, raw, (after.peak as number) - (before.rss as number), cpu, storedSha(itemId) === expected));
    };
    await measure('PUT /uploads/{id}', () => binaryUpload(client, url, token, data, 'bench-binary.bin'));
    await measure('files_upload_chunk', () => toolsUpload(client, data, 'bench-tools.bin'));

    await client.close();
    return { bytes, rawLoopbackMBps: raw, cases, targets: { rssGrowthMiB: 64, minRatioToRaw: 0.5 } };
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    await sandbox.close();
  }
}

function benchCase(name: string, bytes: number, seconds: number, raw: number, rssGrowth: number, cpu: number, ok: boolean): UploadBenchCase {
  const mbPerSecond = bytes / MB / seconds;
  return { name, mbPerSecond: round(mbPerSecond), ratioToRaw: round(mbPerSecond / raw), rssGrowthMiB: round(rssGrowth / 1024 / 1024), gatewayCpuSecondsPer100MB: round(cpu), ok };
}

const round = (n: number): number => Math.round(n * 100) / 100;

function* pieces(data: Buffer): Generator<Buffer> {
  for (let at = 0; at < data.length; at += PIECE) yield data.subarray(at, at + PIECE);
}

/** The same bytes over one loopback HTTP request to a server that only counts them. */
async function rawLoopbackMBps(data: Buffer): Promise<number> {
  const server = createServer((req, res) => {
    let n = 0;
    req.on('data', (d: Buffer) => (n += d.length));
    req.on('end', () => res.end(String(n)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const once = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/', headers: { 'content-length': String(data.length) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(data.length / MB / ((performance.now() - started) / 1000)));
      });
      req.on('error', reject);
      const iterator = pieces(data);
      const pump = (): void => {
        for (let next = iterator.next(); !next.done; next = iterator.next()) if (!req.write(next.value)) return void req.once('drain', pump);
        req.end();
      };
      pump();
    });
  await once();
  const runs = [await once(), await once(), await once()];
  server.close();
  return round(Math.max(...runs));
}

async function call<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

async function binaryUpload(client: Client, url: string, token: string, data: Buffer, name: string): Promise<string> {
  const started = await call<{ uploadPath: string }>(client, 'files_upload_start', { name, size: data.length, conflict: 'replace' });
  const res = await putBinary(`${url}${started.uploadPath}`, pieces(data), { token, contentLength: data.length });
  if (res.status !== 200) throw new Error(`binary upload: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body.item as { id: string }).id;
}

async function toolsUpload(client: Client, data: Buffer, name: string): Promise<string> {
  const started = await call<{ uploadId: string; chunkBytes: number }>(client, 'files_upload_start', { name, size: data.length, conflict: 'replace' });
  let status: { item?: { id: string } } = {};
  for (let offset = 0; offset < data.length; offset += started.chunkBytes) {
    const content = data.subarray(offset, offset + started.chunkBytes).toString('base64');
    status = await call(client, 'files_upload_chunk', { uploadId: started.uploadId, offset, content });
  }
  return status.item?.id ?? '';
}

function ask(child: ChildProcess, message: string | null, kind: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      const reply = m as Record<string, unknown>;
      if (reply.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(reply);
    };
    const onExit = (code: number | null): void => reject(new Error(`gateway process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message !== null) child.send(message);
  });
}

export function printUploadBench(result: UploadBenchResult): void {
  console.log(`upload benchmark: ${result.bytes / MB} MB; raw loopback copy ${result.rawLoopbackMBps} MB/s`);
  console.log('case                  MB/s    x raw   RSS growth MiB   gateway CPU s/100MB   sha256');
  for (const c of result.cases) {
    const cells = [c.mbPerSecond, c.ratioToRaw, c.rssGrowthMiB, c.gatewayCpuSecondsPer100MB].map(String);
    console.log(`${c.name.padEnd(20)} ${cells[0]?.padStart(7)} ${cells[1]?.padStart(8)} ${cells[2]?.padStart(16)} ${cells[3]?.padStart(21)}   ${c.ok ? 'ok' : 'MISMATCH'}`);
  }
  console.log(`targets: RSS growth < ${result.targets.rssGrowthMiB} MiB; throughput >= ${result.targets.minRatioToRaw} x raw`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printUploadBench(await runUploadBench());
}
