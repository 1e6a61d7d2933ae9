import { parseArgs } from 'node:util';
import { buildRevocation } from '../container.js';
import { operatorName, type AdminCommand, type AdminIo } from './admin-command.js';
import { adminFailure, NEEDS_AWS_STORAGE } from './storage-admin-errors.js';

const USAGE = 'usage: npm run admin -- revoke --tenant <tenantId> [--user <objectId>]';
const ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Incident response (docs/runbooks/token-leakage.md): revokes our grants and tokens, deletes
 * sessions and the stored Microsoft tokens of one user, or of every user of a tenant. Audited.
 */
export const revokeCommand: AdminCommand = {
  name: 'revoke',
  summary: 'revoke every grant, session and stored Microsoft token of a tenant or one user',
  async run(args: string[], io: AdminIo): Promise<number> {
    let target: { tenantId: string; objectId?: string };
    try {
      target = parseRevokeArgs(args);
    } catch (error) {
      io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
      return 64;
    }
    let revocation;
    try {
      revocation = await buildRevocation(io.config);
    } catch (error) {
      io.err(`revoke failed: ${adminFailure(error)}`);
      return 1;
    }
    if (revocation === null) {
      io.err(`revoke ${NEEDS_AWS_STORAGE} and REDIS_URL (in memory mode each server holds its own stores)`);
      return 78;
    }
    try {
      const result = await revocation.revoke.execute({ ...target, operator: operatorName() });
      io.out(JSON.stringify(result));
      return 0;
    } catch (error) {
      io.err(`revoke failed: ${adminFailure(error)}`);
      return 1;
    } finally {
      await revocation.close();
    }
  },
};

export function parseRevokeArgs(args: string[]): { tenantId: string; objectId?: string } {
  const { values } = parseArgs({
    args,
    options: { tenant: { type: 'string' }, user: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.tenant === undefined || !ID.test(values.tenant)) throw new Error('--tenant <tenantId> is required');
  if (values.user !== undefined && !ID.test(values.user)) throw new Error('--user takes an Entra object id');
  return values.user === undefined ? { tenantId: values.tenant } : { tenantId: values.tenant, objectId: values.user };
}
