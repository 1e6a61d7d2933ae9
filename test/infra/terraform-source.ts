import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// Loaded through require so TypeScript never reads the package's declarations: they pull the DOM
// lib into the whole program (`/// <reference lib="dom" />`) and break Node's fetch types elsewhere.
const { parse } = createRequire(import.meta.url)('@cdktf/hcl2json') as {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
};

/** Loose JSON view of parsed HCL: blocks are arrays of objects, expressions are "${...}" strings. */
export type Hcl = Record<string, unknown>;

export const TERRAFORM_DIR = join(import.meta.dirname, '..', '..', 'terraform');
export const ENVIRONMENTS = ['dev', 'test', 'preprod', 'prod'] as const;

/** Every top-level block of every .tf file, keyed by block type, then by label. */
export interface TerraformModule {
  variable: Record<string, Hcl>;
  locals: Hcl;
  resource: Record<string, Record<string, Hcl>>;
  data: Record<string, Record<string, Hcl>>;
}

/** Parses all .tf files of the module; a label defined twice is an error, as it is for Terraform. */
export async function loadModule(dir: string = TERRAFORM_DIR): Promise<TerraformModule> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort();
  const module: TerraformModule = { variable: {}, locals: {}, resource: {}, data: {} };
  for (const file of files) {
    const parsed = await parse(file, await readFile(join(dir, file), 'utf8'));
    for (const [name, blocks] of Object.entries(asRecord(parsed.variable))) {
      addOnce(module.variable, name, single(blocks), file);
    }
    for (const locals of asArray(parsed.locals)) {
      for (const [name, value] of Object.entries(asRecord(locals))) addOnce(module.locals, name, value, file);
    }
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries(asRecord(parsed[kind]))) {
        const target = (module[kind][type] ??= {});
        for (const [name, blocks] of Object.entries(asRecord(byName))) addOnce(target, name, single(blocks), file);
      }
    }
  }
  return module;
}

/** Attributes of one environment's tfvars file. */
export async function loadTfvars(environment: string, dir: string = TERRAFORM_DIR): Promise<Hcl> {
  const file = join(dir, 'environments', `${environment}.tfvars`);
  return parse(`${environment}.tfvars`, await readFile(file, 'utf8'));
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** The single block of a repeated-block list (hcl2json wraps every block in an array). */
export function single(value: unknown): Hcl {
  const list = asArray(value);
  if (list.length !== 1) throw new Error(`expected exactly one block, got ${list.length}`);
  return asRecord(list[0]);
}

/** Strings of a list attribute, or the one string of an expression attribute. */
export function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === 'string');
}

/** Every string anywhere inside a parsed value. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}

function addOnce<T>(target: Record<string, T>, name: string, value: T, file: string): void {
  if (name in target) throw new Error(`${name} is defined twice (again in ${file})`);
  target[name] = value;
}
