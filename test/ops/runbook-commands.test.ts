import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AdminCommand } from '../../src/app/admin/admin-command.js';
import { applyChanges } from '../../src/app/admin/flags.js';
import { parseReencryptArgs } from '../../src/app/admin/reencrypt.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNBOOK_DIR = join(ROOT, 'docs/runbooks');
const ADMIN_SOURCE = join(ROOT, 'src/app/admin.ts');

/**
 * The commands `npm run admin` registers. admin.ts runs main() on import, so the COMMANDS list is
 * read from its source and each listed command is imported from the module admin.ts imports it from.
 */
async function registeredCommands(): Promise<string[]> {
  const source = readFileSync(ADMIN_SOURCE, 'utf8');
  const list = /const COMMANDS[^=]*=\s*\[([^\]]*)\]/.exec(source)?.[1];
  if (list === undefined) throw new Error('COMMANDS = [...] not found in src/app/admin.ts');
  const identifiers = list.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const names: string[] = [];
  for (const id of identifiers) {
    const from = new RegExp(`import\\s*\\{[^}]*\\b${id}\\b[^}]*\\}\\s*from\\s*'([^']+)'`).exec(source)?.[1];
    if (!from) throw new Error(`no import of ${id} in src/app/admin.ts`);
    const module = (await import(resolve(dirname(ADMIN_SOURCE), from).replace(/\.js$/, '.ts'))) as Record<string, AdminCommand>;
    const command = module[id];
    if (!command) throw new Error(`${from} does not export ${id}`);
    names.push(command.name);
  }
  return names;
}

/** Every `npm run admin -- ...` invocation inside backticks, with its runbook. */
function citedInvocations(): Array<{ file: string; args: string[] }> {
  return readdirSync(RUNBOOK_DIR)
    .filter((f) => f.endsWith('.md'))
    .flatMap((file) =>
      [...readFileSync(join(RUNBOOK_DIR, file), 'utf8').matchAll(/`npm run admin -- ([^`]+)`/g)].map((m) => ({
        file,
        args: (m[1] ?? '').trim().split(/\s+/),
      })),
    );
}

/** `<args>` and the like stand for any command. */
const cited = citedInvocations().filter((c) => !(c.args[0] ?? '').startsWith('<'));

/**
 * Commands runbooks may cite before their implementation is merged (the lead's operator
 * revocation). Remove an entry when its command is registered.
 */
const PENDING_COMMANDS = new Set<string>([]);

describe('docs/runbooks admin commands', () => {
  it('finds the commands the runbooks cite', () => {
    expect(cited.length).toBeGreaterThan(20);
  });

  it('cites only commands src/app/admin.ts registers', async () => {
    const registered = new Set(await registeredCommands());
    expect(registered.has('flags')).toBe(true);
    const known = (name: string): boolean => registered.has(name) || PENDING_COMMANDS.has(name);
    const unknown = cited.filter((c) => !known(c.args[0] ?? '')).map((c) => `${c.file}: ${c.args.join(' ')}`);
    expect(unknown).toEqual([]);
  });

  it('cites flags invocations that the flags command accepts', () => {
    const wrong: string[] = [];
    for (const { file, args } of cited.filter((c) => c.args[0] === 'flags')) {
      const [, sub, ...rest] = args;
      if (sub === 'show' && rest.length === 0) continue;
      // Placeholders (`<tool or family>`) and alternatives (`a | b`) are prose, not arguments.
      if (sub === 'set' && rest.some((a) => a.startsWith('<') || a === '|')) continue;
      try {
        if (sub !== 'set') throw new Error(`unknown subcommand ${String(sub)}`);
        applyChanges({ disabled: [] }, rest);
      } catch (error) {
        wrong.push(`${file}: flags ${[sub, ...rest].join(' ')}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('cites reencrypt and create-tables with arguments they accept', () => {
    const wrong: string[] = [];
    for (const { file, args } of cited.filter((c) => c.args[0] === 'reencrypt' || c.args[0] === 'create-tables')) {
      const [name, ...rest] = args;
      // `<id>` and `...` are prose placeholders for a tenant id.
      const concrete = rest.map((a) => (a.startsWith('<') || a === '...' ? 'tenant-id' : a));
      try {
        if (name === 'create-tables' && concrete.length > 0) throw new Error('takes no arguments');
        if (name === 'reencrypt') parseReencryptArgs(concrete);
      } catch (error) {
        wrong.push(`${file}: ${args.join(' ')}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});


describe('docs/runbooks links', () => {
  it('point to files that exist', () => {
    const broken: string[] = [];
    for (const file of readdirSync(RUNBOOK_DIR).filter((f) => f.endsWith('.md'))) {
      for (const m of readFileSync(join(RUNBOOK_DIR, file), 'utf8').matchAll(/\]\(([^)#\s]+\.md)(?:#[^)]*)?\)/g)) {
        const target = m[1] ?? '';
        if (!existsSync(resolve(RUNBOOK_DIR, target))) broken.push(`${file}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
