import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededUser } from '../../src/adapters/sandbox/seed.js';
import { startTestGateway } from '../support/gateway.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const SMOKE = join(ROOT, 'loadtest', 'smoke.sh');
const SMOKE_SECONDS = 20;

const locustInstalled = await run('sh', ['-c', 'command -v locust'])
  .then(() => true)
  .catch(() => false);
if (!locustInstalled) {
  console.warn('loadtest smoke skipped: locust is not installed (apt-get install -y python3-locust; .ci/run installs it)');
}

/** Tool names the locustfile calls, read from its TOOLS table. */
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

/** Runs loadtest/smoke.sh; without a token the users sign in with OAuth (`extraEnv` tunes it). */
async function smoke(url: string, token: string | undefined, seconds: number, outDir: string, extraEnv: Record<string, string> = {}): Promise<SmokeRun> {
  const { MCP_TOKEN: _inherited, ...inherited } = process.env;
  const env = { ...inherited, ...(token === undefined ? {} : { MCP_TOKEN: token }), SMOKE_SECONDS: String(seconds), ...extraEnv };
  const result = await run('bash', [SMOKE, url, outDir], { env, timeout: (seconds + 30) * 1000 }).then(
    (r) => ({ exitCode: 0, output: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ exitCode: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
  const summary = JSON.parse(await readFile(join(outDir, 'smoke_summary.json'), 'utf8')) as SmokeSummary;
  return { ...result, summary };
}

describe.skipIf(!locustInstalled)('loadtest smoke against the sandbox gateway on loopback', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let token: string;
  const outDirs: string[] = [];

  beforeAll(async () => {
    gateway = await startTestGateway();
    const megan = seededUser('megan');
    token = gateway.devToken({ tenantId: megan.tenantId, objectId: megan.id });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(outDirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function outDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'smoke-'));
    outDirs.push(dir);
    return dir;
  }

  it(
    'runs list, search, send and upload with zero failures and reports p95',
    async () => {
      const { exitCode, output, summary } = await smoke(gateway.url, token, SMOKE_SECONDS, await outDir());

      console.info(output.split('\n').find((line) => line.startsWith('smoke:')));
      expect(exitCode, output).toBe(0);
      expect(summary.failures).toBe(0);
      expect(summary.p95_ms).toBeGreaterThan(0);
      for (const tool of await locustTools()) {
        expect(summary.by_name[`tools/call ${tool}`]?.requests ?? 0, tool).toBeGreaterThan(0);
      }
    },
    (SMOKE_SECONDS + 40) * 1000,
  );

  it('exits non-zero when requests fail (a token the gateway rejects)', async () => {
    // Long enough that Locust sends requests even on a loaded machine (it takes seconds to start).
    const { exitCode, summary } = await smoke(gateway.url, 'not-a-valid-token', 8, await outDir());

    expect(exitCode).not.toBe(0);
    expect(summary.failures).toBeGreaterThan(0);
    expect(summary.by_name.initialize?.failures).toBeGreaterThan(0);
  }, 60_000);
});

describe.skipIf(!locustInstalled)('loadtest smoke with OAuth sign-in (AUTH_MODE=oauth, sandbox IdP)', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let dir: string;

  beforeAll(async () => {
    // 60 s access tokens refreshed 55 s early: every user also exercises refresh-token rotation.
    gateway = await startTestGateway({ AUTH_MODE: 'oauth', AUTH_ACCESS_TOKEN_TTL_SECONDS: '60' });
    dir = await mkdtemp(join(tmpdir(), 'smoke-oauth-'));
  });

  afterAll(async () => {
    await gateway?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'signs every user in through register, authorize, consent, IdP and token, then runs the flows with zero failures',
    async () => {
      const { exitCode, output, summary } = await smoke(gateway.url, undefined, 12, dir, { MCP_REFRESH_MARGIN_SECONDS: '55' });

      expect(exitCode, output).toBe(0);
      expect(summary.failures).toBe(0);
      const users = 5;
      expect(summary.by_name['oauth /register']?.requests).toBe(1);
      for (const step of ['oauth /authorize', 'oauth consent', 'oauth idp sign-in', 'oauth /callback', 'oauth /token']) {
        expect(summary.by_name[step]?.requests, step).toBe(users);
      }
      expect(summary.by_name['oauth /token refresh']?.requests ?? 0).toBeGreaterThan(0);
      expect(summary.by_name['tools/call mail_list_messages']?.requests ?? 0).toBeGreaterThan(0);
    },
    60_000,
  );
});
