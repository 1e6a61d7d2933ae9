import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { GraphHttpClient } from '../src/adapters/graph/graph-http-client.js';
import { HttpFilesGateway } from '../src/adapters/graph/http-files-gateway.js';
import { HttpMailGateway } from '../src/adapters/graph/http-mail-gateway.js';
import { HttpSearchGateway } from '../src/adapters/graph/http-search-gateway.js';
import { mintDevToken } from '../src/adapters/http/dev-token-authenticator.js';
import { SandboxGraphTokenProvider } from '../src/adapters/sandbox/sandbox-graph-token-provider.js';
import { ALL_SANDBOX_SCOPES } from '../src/adapters/sandbox/sandbox-server.js';
import { seededUser } from '../src/adapters/sandbox/seed.js';
import { SystemClock } from '../src/adapters/system/system-clock.js';
import type { Identity } from '../src/domain/identity.js';
import { cpuSecondsOf, fmt, measure, memoryOf, startChild, type Child, type RunStats } from './support.js';

const SECRET = 'bench-sandbox-secret-0123456789';
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 4000);
/** When set, the gateway writes a V8 CPU profile there on exit (open it in Chrome DevTools). */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR;

/** One "sequence": list messages, get message, list folder, search. */
type Sequence = () => Promise<void>;

/**
 * Gateway overhead: the same Graph operations (a) straight from this process to the sandbox with
 * our own Graph adapter, and (b) as MCP tool calls through the gateway with the SDK client. The
 * sandbox and the gateway each run in their own process, like Graph and a replica would. Both
 * paths keep their connections alive. Each run also reports the CPU each process spent per call,
 * which says which process limits throughput and stays readable when neighbours load the machine.
 */
export interface OverheadResult {
  callers: number;
  direct: RunStats & { cpu: CpuPerCall };
  viaMcp: RunStats & { cpu: CpuPerCall };
}

/** CPU ms per call of this process (Graph adapter or MCP client), the gateway and the sandbox. */
interface CpuPerCall {
  bench: number;
  gateway: number;
  sandbox: number;
}

export async function runGatewayOverheadBench(extraGatewayEnv: Record<string, string> = {}, label = 'gateway overhead'): Promise<OverheadResult[]> {
  const sandbox = await startChild('src/app/sandbox-main.ts', { SANDBOX_PORT: '0', SANDBOX_SECRET: SECRET });
  let gateway: Child | undefined;
  try {
    gateway = await startChild(
      'src/app/main.ts',
      {
        PORT: '0',
        SANDBOX_EMBEDDED: 'false',
        SANDBOX_SECRET: SECRET,
        GRAPH_BASE_URL: `${sandbox.url}/v1.0`,
        // Measures the gateway's own overhead: our per-user rate limit would throttle the bench user.
        RATE_LIMIT_ENABLED: 'false',
        ...extraGatewayEnv,
      },
      undefined,
      CPU_PROF_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`],
    );
    const pids = { bench: process.pid, gateway: gateway.process.pid!, sandbox: sandbox.process.pid! };
    const measured = async (callers: number, op: (caller: number) => Promise<void>): Promise<RunStats & { cpu: CpuPerCall }> => {
      const before = { bench: cpuSecondsOf(pids.bench), gateway: cpuSecondsOf(pids.gateway), sandbox: cpuSecondsOf(pids.sandbox) };
      const stats = perCall(await measure(callers, DURATION_MS, op));
      const per = (who: keyof CpuPerCall): number => ((cpuSecondsOf(pids[who]) - before[who]) * 1000) / stats.calls;
      return { ...stats, cpu: { bench: per('bench'), gateway: per('gateway'), sandbox: per('sandbox') } };
    };
    const user = seededUser('megan');
    const caller: Identity = { tenantId: user.tenantId, objectId: user.id, subject: user.id, clientId: 'bench', scopes: [] };
    const graph = new GraphHttpClient({
      baseUrl: `${sandbox.url}/v1.0`,
      tokenProvider: new SandboxGraphTokenProvider(SECRET, ALL_SANDBOX_SCOPES, new SystemClock()),
      timeoutMs: 30_000,
    });
    const mail = new HttpMailGateway(graph);
    const files = new HttpFilesGateway(graph);
    const search = new HttpSearchGateway(graph);
    const messageId = (await mail.listMessages(caller, {}, 1)).items[0]!.id;

    const direct: Sequence = async () => {
      await mail.listMessages(caller, { folder: 'inbox' }, 10);
      await mail.getMessage(caller, messageId);
      await files.listChildren(caller, { path: '/Documents' }, 50);
      await search.search(caller, { query: 'budget', entities: ['message'] }, 10);
    };

    const token = mintDevToken(SECRET, { tenantId: user.tenantId, objectId: user.id });
    const clients: Client[] = [];
    const clientFor = async (i: number): Promise<Client> => {
      if (!clients[i]) {
        const client = new Client({ name: 'bench', version: '1' });
        await client.connect(
          new StreamableHTTPClientTransport(new URL(`${gateway!.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
        );
        clients[i] = client;
      }
      return clients[i]!;
    };
    const viaMcp = (i: number): Sequence => async () => {
      const client = await clientFor(i);
      for (const [name, args] of [
        ['mail_list_messages', { folder: 'inbox', pageSize: 10 }],
        ['mail_get_message', { messageId }],
        ['files_list', { folder: '/Documents', pageSize: 50 }],
        ['search_query', { query: 'budget', entities: ['message'], pageSize: 10 }],
      ] as const) {
        const result = await client.callTool({ name, arguments: args });
        if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
      }
    };

    console.log(`\n## ${label}: 4 Graph operations per sequence, ${DURATION_MS} ms per run, load average ${loadAverage()}`);
    console.log(
      'callers | path    | p50 ms/call | p99 ms/call | calls/s | added p50 ms | throughput (b)/(a) | CPU ms/call: bench process, gateway, sandbox',
    );
    const cpu = (c: CpuPerCall): string => `${fmt(c.bench)}, ${fmt(c.gateway)}, ${fmt(c.sandbox)}`;
    const results: OverheadResult[] = [];
    for (const callers of [1, 32]) {
      for (let i = 0; i < callers; i++) await clientFor(i);
      await measure(callers, 500, (i) => viaMcp(i)()); // warm both paths
      await measure(callers, 500, () => direct());
      const a = await measured(callers, () => direct());
      const b = await measured(callers, (i) => viaMcp(i)());
      results.push({ callers, direct: a, viaMcp: b });
      console.log(
        `${String(callers).padStart(7)} | direct  | ${fmt(a.p50).padStart(11)} | ${fmt(a.p99).padStart(11)} | ${fmt(a.callsPerSecond, 0).padStart(7)} | ${''.padStart(12)} | ${''.padStart(18)} | ${cpu(a.cpu)}`,
      );
      console.log(
        `${String(callers).padStart(7)} | via MCP | ${fmt(b.p50).padStart(11)} | ${fmt(b.p99).padStart(11)} | ${fmt(b.callsPerSecond, 0).padStart(7)} | ${fmt(b.p50 - a.p50).padStart(12)} | ${fmt(b.callsPerSecond / a.callsPerSecond).padStart(18)} | ${cpu(b.cpu)}`,
      );
    }
    const mem = memoryOf(gateway.process.pid!);
    console.log(`gateway process RSS ${fmt(mem.rssMiB, 1)} MiB (peak ${fmt(mem.peakMiB, 1)} MiB)`);
    await Promise.all(clients.map((c) => c.close()));
    return results;
  } finally {
    await gateway?.stop();
    await sandbox.stop();
  }
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** A sequence holds 4 calls: report per call. */
function perCall(stats: RunStats): RunStats {
  return { p50: stats.p50 / 4, p99: stats.p99 / 4, callsPerSecond: stats.callsPerSecond * 4, calls: stats.calls * 4 };
}
