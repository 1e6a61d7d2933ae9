import { parseArgs } from 'node:util';
import { isDomainError } from '../../domain/errors.js';
import type { FlagOverrides } from '../../ports/feature-flags.js';
import { buildAdminServices } from '../container.js';
import { operatorName, type AdminCommand, type AdminIo } from './admin-command.js';

const USAGE = `usage:
  npm run admin -- flags show
  npm run admin -- flags set [--disable <tool|family>]... [--enable <tool|family>]...
                             [--read-only true|false] [--concurrency <family>=<n>]... [--concurrency <family>=default]
                             [--backoff-multiplier <x>=1..100] [--reset]`;

/** Reads and changes the feature-flag overrides every replica polls (FEATURE_FLAGS_REFRESH_SECONDS). */
export const flagsCommand: AdminCommand = {
  name: 'flags',
  summary: 'show or change feature flags and live tuning (disable tools/families, read-only, concurrency, backoff)',
  async run(args: string[], io: AdminIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub !== 'show' && sub !== 'set') {
      io.err(USAGE);
      return 64;
    }
    const services = await buildAdminServices(io.config);
    try {
      if (!services.flags) {
        io.err('No shared flag store: set REDIS_URL to the one the replicas use (in-memory flags live inside each server process).');
        return 78;
      }
      const current = await services.flags.read();
      if (sub === 'show') {
        io.out(JSON.stringify(describe(current, io), null, 2));
        return 0;
      }
      let next: FlagOverrides;
      try {
        next = applyChanges(current, rest);
      } catch (error) {
        io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
        return 64;
      }
      await services.flags.write(next);
      services.audit.record({ action: 'operator.flags_set', outcome: 'success', actor: operatorName(), reason: summarize(next) });
      io.out(JSON.stringify(describe(next, io), null, 2));
      io.out(`Every replica applies this within ${io.config.features.refreshSeconds} s.`);
      return 0;
    } catch (error) {
      io.err(isDomainError(error) ? `${error.category}: ${error.message}` : String(error));
      return 1;
    } finally {
      await services.close();
    }
  },
};

function describe(overrides: FlagOverrides, io: AdminIo): Record<string, unknown> {
  return {
    overrides,
    defaultsFromConfig: { disabled: io.config.features.disabled, readOnly: io.config.tools.readOnly, backoffMultiplier: io.config.resilience.retry.backoffMultiplier },
  };
}

/** Applies `flags set` options to the stored overrides (pure, for tests). */
export function applyChanges(current: FlagOverrides, args: string[]): FlagOverrides {
  const { values } = parseArgs({
    args,
    options: {
      disable: { type: 'string', multiple: true },
      enable: { type: 'string', multiple: true },
      'read-only': { type: 'string' },
      concurrency: { type: 'string', multiple: true },
      'backoff-multiplier': { type: 'string' },
      reset: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const next: FlagOverrides = values.reset ? { disabled: [] } : { ...current, disabled: [...current.disabled] };
  const name = /^[a-z][a-z0-9_]{0,63}$/;
  for (const d of values.disable ?? []) {
    if (!name.test(d)) throw new Error(`--disable: "${d}" is not a tool or family name`);
    if (!next.disabled.includes(d)) next.disabled.push(d);
  }
  for (const e of values.enable ?? []) next.disabled = next.disabled.filter((d) => d !== e);
  const readOnly = values['read-only'];
  if (readOnly !== undefined) {
    if (readOnly !== 'true' && readOnly !== 'false') throw new Error('--read-only takes true or false');
    next.readOnly = readOnly === 'true';
  }
  for (const c of values.concurrency ?? []) {
    const m = /^([a-z]+)=(\d+|default)$/.exec(c);
    if (!m?.[1] || !m[2] || m[2] === '0') throw new Error(`--concurrency: expected family=<n ≥ 1> or family=default, got "${c}"`);
    const { [m[1]]: _old, ...others } = next.concurrency ?? {};
    next.concurrency = m[2] === 'default' ? others : { ...others, [m[1]]: Number(m[2]) };
  }
  const multiplier = values['backoff-multiplier'];
  if (multiplier !== undefined) {
    const x = Number(multiplier);
    if (!Number.isFinite(x) || x < 1 || x > 100) throw new Error('--backoff-multiplier takes a number from 1 to 100');
    next.backoffMultiplier = x;
  }
  return next;
}

/** The overrides now in force, compact enough for the audit event's reason field. */
export function summarize(overrides: FlagOverrides): string {
  const parts = [`disabled=${overrides.disabled.join(',') || '-'}`];
  if (overrides.readOnly !== undefined) parts.push(`readOnly=${overrides.readOnly}`);
  for (const [family, n] of Object.entries(overrides.concurrency ?? {})) parts.push(`concurrency.${family}=${n}`);
  if (overrides.backoffMultiplier !== undefined) parts.push(`backoffMultiplier=${overrides.backoffMultiplier}`);
  return parts.join(' ');
}
