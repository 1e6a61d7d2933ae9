import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startStubMcpServer, type StubMcpServer } from './stub-mcp-server.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const SMOKE = join(ROOT, 'loadtest', 'smoke.sh');
const TOKEN = 'smoke-test-token';

const locustInstalled = await run('sh', ['-c', 'command -v locust'])
  .then(() => true)
  .catch(() => false);
if (!locustInstalled) {
  console.warn('loadtest smoke skipped: locust is not installed (apt-get install -y python3-locust; .ci/run installs it)');
}

/** Tool names the locustfile calls, read from its TOOLS table so both stay in step. */
async function locustTools(): Promise<string[]> {
  const source = await readFile(join(ROOT, 'loadtest', 'locustfile.py'), 'utf8');
  const table = /TOOLS = \{([^}]*)\}/.exec(source)?.[1] ?? '';
  return [...table.matchAll(/"\w+":\s*"(\w+)"/g)].map((m) => m[1] ?? '');
}

interface SmokeSummary {
  requests: number;
  failures: number;
  p95_ms: number | null;
  by_name: Record<string, { requests: number; failures: number }>;
}

interface SmokeRun {
  exitCode: number;
  output: string;
  summary: SmokeSummary;
}

async function smoke(url: string, seconds: number, outDir: string): Promise<SmokeRun> {
  const env = { ...process.env, MCP_TOKEN: TOKEN, SMOKE_SECONDS: String(seconds), SMOKE_USERS: '3', SMOKE_SPAWN_RATE: '3' };
  const result = await run('bash', [SMOKE, url, outDir], { env, timeout: (seconds + 30) * 1000 }).then(
    (r) => ({ exitCode: 0, output: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ exitCode: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
  const summary = JSON.parse(await readFile(join(outDir, 'smoke_summary.json'), 'utf8')) as SmokeSummary;
  return { ...result, summary };
}

describe.skipIf(!locustInstalled)('loadtest/smoke.sh', () => {
  let server: StubMcpServer | undefined;
  let outDir: string | undefined;

  afterEach(async () => {
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
    server = undefined;
    outDir = undefined;
  });

  it('drives every key flow over Streamable HTTP and reports p95 with zero failures', async () => {
    const tools = await locustTools();
    expect(tools).toHaveLength(4);
    server = await startStubMcpServer({ token: TOKEN, tools });
    outDir = await mkdtemp(join(tmpdir(), 'smoke-'));

    const { exitCode, output, summary } = await smoke(server.url, 8, outDir);

    expect(exitCode, output).toBe(0);
    expect(summary.failures).toBe(0);
    expect(summary.requests).toBeGreaterThan(10);
    expect(summary.p95_ms).toBeGreaterThan(0);
    expect(summary.by_name.initialize?.requests).toBeGreaterThanOrEqual(3);
    // The heaviest-weighted flow certainly ran; the server saw the calls Locust counted.
    expect(server.calls.get(tools[0] ?? '')).toBeGreaterThan(0);
  });

  it('exits non-zero when tool calls fail', async () => {
    const tools = await locustTools();
    server = await startStubMcpServer({ token: TOKEN, tools, failingTools: tools });
    outDir = await mkdtemp(join(tmpdir(), 'smoke-'));

    const { exitCode, summary } = await smoke(server.url, 4, outDir);

    expect(exitCode).not.toBe(0);
    expect(summary.failures).toBeGreaterThan(0);
  });
});
