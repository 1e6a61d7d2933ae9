import { parseArgs } from 'node:util';
import { buildStorageAdmin } from '../container.js';
import type { AdminCommand, AdminIo } from './admin-command.js';
import { adminFailure, NEEDS_AWS_STORAGE } from './storage-admin-errors.js';

/** The encryption-context purpose the Entra token cache is sealed with (issue 4's token custody). */
const DEFAULT_PURPOSE = 'msal-cache';

const USAGE = `usage: npm run admin -- reencrypt --tenant <tenantId> [--tenant <tenantId>]... [--purpose ${DEFAULT_PURPOSE}]`;

/**
 * After moving to a new KMS key (docs/runbooks/kms-rotation.md): re-seals every stored token cache
 * of the named tenants that is still under an old key, as the next version. Safe to re-run.
 */
export const reencryptCommand: AdminCommand = {
  name: 'reencrypt',
  summary: 're-encrypt stored tokens still under a previous KMS key (after a key change)',
  async run(args: string[], io: AdminIo): Promise<number> {
    let tenantIds: string[];
    let purpose: string;
    try {
      ({ tenantIds, purpose } = parseReencryptArgs(args));
    } catch (error) {
      io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
      return 64;
    }
    const admin = buildStorageAdmin(io.config);
    if (admin === null) {
      io.err(`reencrypt ${NEEDS_AWS_STORAGE}`);
      return 78;
    }
    try {
      const result = await admin.reencrypt({ tenantIds, purpose });
      io.out(JSON.stringify({ tenants: tenantIds.length, ...result }));
      if (result.undecryptable > 0) io.err(`${result.undecryptable} record(s) could not be opened; those users sign in again.`);
      return 0;
    } catch (error) {
      io.err(`reencrypt failed: ${adminFailure(error)}`);
      return 1;
    } finally {
      await admin.close();
    }
  },
};

/** `--tenant` repeated or comma-separated; a purpose other than the default only if the custody code changes it. */
export function parseReencryptArgs(args: string[]): { tenantIds: string[]; purpose: string } {
  const { values } = parseArgs({
    args,
    options: { tenant: { type: 'string', multiple: true }, purpose: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const tenantIds = [...new Set((values.tenant ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter((t) => t.length > 0))];
  if (tenantIds.length === 0) throw new Error('--tenant is required (the tenants whose tokens to re-encrypt)');
  const bad = tenantIds.find((t) => !/^[A-Za-z0-9.-]{1,64}$/.test(t));
  if (bad !== undefined) throw new Error(`--tenant: "${bad}" is not a tenant id`);
  const purpose = values.purpose ?? DEFAULT_PURPOSE;
  if (!/^[a-z0-9-]{1,64}$/.test(purpose)) throw new Error('--purpose takes a short lowercase name');
  return { tenantIds, purpose };
}
