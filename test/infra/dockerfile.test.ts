import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_PATH as APP_HEALTH_PATH } from '../../src/adapters/http/http-app.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

/** Exec form is a JSON array of strings; anything else runs under /bin/sh -c, which swallows SIGTERM. */
function isExecForm(args: string): boolean {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((a) => typeof a === 'string');
  } catch {
    return false;
  }
}

let all: Instruction[];
let runtime: Instruction[];

beforeAll(async () => {
  all = instructions(await readFile(join(ROOT, 'Dockerfile'), 'utf8'));
  const lastFrom = all.map((i) => i.keyword).lastIndexOf('FROM');
  runtime = all.slice(lastFrom);
});

describe('Dockerfile', () => {
  it('builds in stages on Node 22 slim, pinned by major version', () => {
    const bases = all.filter((i) => i.keyword === 'FROM').map((i) => i.args.split(/\s+/)[0]);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    for (const base of bases) expect(base).toMatch(/^node:22(\.\d+){0,2}-(bookworm-)?slim(@sha256:[a-f0-9]{64})?$/);
  });

  it('installs from the lockfile, builds, then keeps production dependencies only', () => {
    const runs = all.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => r.includes('npm ci'))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build'))).toBe(true);
    expect(runs.some((r) => /npm prune --omit=dev/.test(r))).toBe(true);
    expect(runtime.filter((i) => i.keyword === 'RUN')).toHaveLength(0);
    const env = runtime.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    // The app binds loopback unless told otherwise; a container must listen on every interface.
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
  });

  it('runs as a non-root user', () => {
    const users = runtime.filter((i) => i.keyword === 'USER');
    expect(users.length).toBeGreaterThanOrEqual(1);
    const last = users.at(-1)?.args.split(':')[0];
    expect(last).toBeDefined();
    expect(['root', '0']).not.toContain(last);
  });

  it('checks health with Node itself against the app health path', () => {
    const hc = runtime.filter((i) => i.keyword === 'HEALTHCHECK');
    expect(hc).toHaveLength(1);
    const args = hc[0]?.args ?? '';
    const cmd = args.slice(args.indexOf('CMD') + 3).trim();
    expect(isExecForm(cmd)).toBe(true);
    expect(cmd).toContain(APP_HEALTH_PATH);
    expect(cmd).not.toMatch(/curl|wget/);
  });

  it('starts the compiled entry point in exec form so SIGTERM reaches Node', async () => {
    const starts = runtime.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
    expect(starts.length).toBeGreaterThanOrEqual(1);
    for (const s of starts) expect(isExecForm(s.args), `${s.keyword} ${s.args}`).toBe(true);
    const cmd = JSON.parse(starts.at(-1)?.args ?? '[]') as string[];
    expect(cmd[0]).toBe('node');
    // src/app/main.ts compiles to <outDir>/<path relative to rootDir>.
    const build = JSON.parse(await readFile(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    const { rootDir, outDir } = build.compilerOptions;
    expect(cmd[1]).toBe(join(outDir, join('src/app/main.js').replace(new RegExp(`^${rootDir}/`), '')));
  });

  it('exposes the port the task definition maps', () => {
    expect(runtime.find((i) => i.keyword === 'EXPOSE')?.args).toBe('8080');
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, history, tests and secrets out of the build context', async () => {
    const entries = (await readFile(join(ROOT, '.dockerignore'), 'utf8'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const needed of ['node_modules', '.git', 'test', 'dist', '.env']) expect(entries).toContain(needed);
  });
});
