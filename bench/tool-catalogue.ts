import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { discoveryTools } from '../src/adapters/http/tools/discovery-tools.js';
import { ToolRegistry } from '../src/adapters/http/tools/tool-registry.js';
import { loadConfig } from '../src/app/config.js';
import type { AuthSessionToolDeps } from '../src/adapters/http/tools/auth-session-tools.js';
import { buildToolCatalogue, type CatalogueGateways, type LargeFileUseCases } from '../src/app/tool-catalogue.js';
import { SELECTABLE_FAMILIES } from '../src/domain/families.js';

/**
 * Size of `tools/list` per profile: what a client pays in context before the first call. Counts every tool a
 * production deployment (OAuth mode) lists, the upload tools and auth_status/auth_logout included.
 */

export interface CatalogueSize {
  profile: string;
  tools: number;
  chars: number;
  /** Approximation: characters / 4. */
  tokens: number;
}

export interface CatalogueBenchResult {
  rows: CatalogueSize[];
  targets: { fullUnder: number; discoveryUnder: number; fullOk: boolean; discoveryOk: boolean };
}

// The catalogue only builds use cases; nothing calls a gateway, so empty stand-ins do.
const standIn = <T extends object>(): T => new Proxy({}, { get: () => ({}) }) as T;
const gateways = standIn<CatalogueGateways>();
// Everything a production deployment lists: the resumable-upload tools and, in OAuth mode, auth_status/auth_logout.
const auth = standIn<AuthSessionToolDeps>();
const large = standIn<LargeFileUseCases>();

function measure(profile: string, tools: Tool[]): CatalogueSize {
  const chars = JSON.stringify({ tools }).length;
  return { profile, tools: tools.length, chars, tokens: Math.round(chars / 4) };
}

function listFor(env: Record<string, string>): Tool[] {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const registry: ToolRegistry = new ToolRegistry([
    ...buildToolCatalogue(config, gateways, auth, large),
    ...(config.tools.discoveryMode ? discoveryTools({ registry: () => registry, call: async () => ({ content: [] }) }) : []),
  ]);
  return registry.list((t) => (config.tools.discoveryMode ? t.family === 'tools' : true));
}

export function runCatalogueBench(): CatalogueBenchResult {
  const every = SELECTABLE_FAMILIES.join(',');
  const rows = [
    measure('full (all families, Teams on)', listFor({ TOOL_FAMILIES: every, TEAMS_ENABLED: 'true' })),
    measure('default (Teams off)', listFor({})),
    measure('default, read-only', listFor({ READ_ONLY: 'true' })),
    ...SELECTABLE_FAMILIES.map((f) =>
      measure(`only ${f}`, listFor({ TOOL_FAMILIES: f, ...(f === 'teams' ? { TEAMS_ENABLED: 'true' } : {}) })),
    ),
    measure('discovery mode', listFor({ TOOL_DISCOVERY_MODE: 'true' })),
  ];
  const full = rows[0]!.tokens;
  const discovery = rows[rows.length - 1]!.tokens;
  return { rows, targets: { fullUnder: 15_000, discoveryUnder: 1_000, fullOk: full < 15_000, discoveryOk: discovery < 1_000 } };
}

export function printCatalogueBench(result: CatalogueBenchResult): void {
  console.log('tools/list size per profile (tokens ≈ chars / 4)');
  for (const r of result.rows) console.log(`  ${r.profile.padEnd(32)} ${String(r.tools).padStart(3)} tools  ${String(r.tokens).padStart(6)} tokens`);
  const t = result.targets;
  console.log(`  targets: full < ${t.fullUnder} ${t.fullOk ? 'OK' : 'MISSED'}, discovery < ${t.discoveryUnder} ${t.discoveryOk ? 'OK' : 'MISSED'}`);
}
