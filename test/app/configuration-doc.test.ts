import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENTS, asRecord, loadModule, loadTfvars, type Hcl, type TerraformModule } from '../infra/terraform-source.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG_SOURCE = readFileSync(`${ROOT}src/app/config.ts`, 'utf8');
const DOC = readFileSync(`${ROOT}docs/configuration.md`, 'utf8');

/** Variables the Terraform module sets for Node or the AWS SDK rather than for config.ts. */
const RUNTIME_VARIABLES = new Set(['NODE_OPTIONS']);

/**
 * Documented ahead of the schema: issue 7's large-file variables while that branch merges. Remove each entry once the schema
 * has it; the test below says which.
 */
const PENDING_VARIABLES = new Set([
]);

/** Keys of the zod env schema, read from the source so a new variable cannot slip past the doc. */
function schemaKeys(source: string): string[] {
  const start = source.indexOf('const envSchema = z.object({');
  const end = source.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('envSchema = z.object({...}) not found in src/app/config.ts');
  return [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? '');
}

/** `| `NAME` | default | secret | meaning |` rows of the doc's tables, by variable name. */
function docRows(doc: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([A-Z][A-Z0-9_]*)` \|(.*)\|$/.exec(line);
    if (!m?.[1] || !m[2]) continue;
    if (rows.has(m[1])) throw new Error(`${m[1]} has two rows in docs/configuration.md`);
    rows.set(m[1], m[2].split('|').map((cell) => cell.trim()));
  }
  return rows;
}

const keys = schemaKeys(CONFIG_SOURCE);
const rows = docRows(DOC);

let tf: TerraformModule;
const tfvars = new Map<string, Hcl>();

beforeAll(async () => {
  tf = await loadModule();
  for (const env of ENVIRONMENTS) tfvars.set(env, await loadTfvars(env));
});

/** Every variable name the task definition gets in one environment: module-managed, app_environment and secrets. */
function terraformVariables(env: string): { plain: string[]; secrets: string[] } {
  const managedText = String(tf.locals.managed_environment);
  const managed = [...managedText.matchAll(/\b([A-Z][A-Z0-9_]*)\s*=/g)].map((m) => m[1] ?? '');
  // `{ for k, t in var.dynamodb_tables : "DYNAMODB_TABLE_${upper(k)}" => t.name }`
  if (managedText.includes('"DYNAMODB_TABLE_${upper(k)}"')) {
    const tables = asRecord(tfvars.get(env)?.dynamodb_tables ?? tf.variable.dynamodb_tables?.default);
    managed.push(...Object.keys(tables).map((k) => `DYNAMODB_TABLE_${k.toUpperCase()}`));
  }
  const vars = tfvars.get(env) ?? {};
  return {
    plain: [...managed, ...Object.keys(asRecord(vars.app_environment))],
    secrets: Object.keys(asRecord(vars.secrets)),
  };
}

describe('docs/configuration.md', () => {
  it('finds the schema keys in src/app/config.ts', () => {
    // Guards the extraction itself: a refactor of the schema must not make this test vacuous.
    expect(keys.length).toBeGreaterThan(100);
    expect(keys).toEqual(expect.arrayContaining(['NODE_ENV', 'GRAPH_BASE_URL', 'ENTRA_CLIENT_SECRET', 'REDIS_URL']));
  });

  it.each(keys)('has a row for %s with a default, a secret column and a meaning', (key) => {
    const cells = rows.get(key);
    expect(cells, `add a row for ${key} to docs/configuration.md`).toBeDefined();
    const [defaultValue = '', secret = '', meaning = ''] = cells ?? [];
    expect(defaultValue).not.toBe('');
    expect(secret).toMatch(/^(no|\*\*yes\*\*)$/);
    expect(meaning.length).toBeGreaterThan(10);
  });

  it('documents only variables the app or the runtime reads', () => {
    const known = new Set([...keys, ...RUNTIME_VARIABLES, ...PENDING_VARIABLES]);
    expect([...rows.keys()].filter((name) => !known.has(name))).toEqual([]);
    expect([...RUNTIME_VARIABLES].filter((name) => keys.includes(name))).toEqual([]);
  });

  it('lists as pending only variables the schema does not have yet', () => {
    const landed = [...PENDING_VARIABLES].filter((name) => keys.includes(name));
    expect(landed, 'now in the schema: remove them from PENDING_VARIABLES (and the pending note in docs/configuration.md)').toEqual([]);
  });

  it('marks the values that must come from a secret store as secret', () => {
    for (const name of ['ENTRA_CLIENT_SECRET', 'LOG_HASH_SALT', 'SANDBOX_SECRET']) expect(rows.get(name)?.[1], name).toBe('**yes**');
  });
});

describe.each(ENVIRONMENTS)('Terraform environment %s', (env) => {
  it('sets only variables the app (or Node) reads: no dead settings', () => {
    const { plain, secrets } = terraformVariables(env);
    expect(plain.length).toBeGreaterThan(10);
    const known = new Set([...keys, ...RUNTIME_VARIABLES, ...PENDING_VARIABLES]);
    expect([...plain, ...secrets].filter((name) => !known.has(name))).toEqual([]);
  });

  it('injects as secrets only variables the doc marks secret', () => {
    const { secrets } = terraformVariables(env);
    expect(secrets).toContain('ENTRA_CLIENT_SECRET');
    for (const name of secrets) expect(rows.get(name)?.[1], `${name} in docs/configuration.md`).toBe('**yes**');
  });
});
