import { buildStorageAdmin } from '../container.js';
import type { AdminCommand, AdminIo } from './admin-command.js';
import { adminFailure, NEEDS_AWS_STORAGE } from './storage-admin-errors.js';

/**
 * Creates the DynamoDB tables (with their indexes and TTL) under the configured names, for
 * development emulators; idempotent. AWS tables come from infrastructure code, not from here.
 */
export const createTablesCommand: AdminCommand = {
  name: 'create-tables',
  summary: 'create the DynamoDB tables (DYNAMODB_TABLE_*) if missing, for emulators such as dynalite',
  async run(args: string[], io: AdminIo): Promise<number> {
    if (args.length > 0) {
      io.err('usage: npm run admin -- create-tables');
      return 64;
    }
    const admin = buildStorageAdmin(io.config);
    if (admin === null) {
      io.err(`create-tables ${NEEDS_AWS_STORAGE}`);
      return 78;
    }
    try {
      for (const table of await admin.createTables()) {
        io.out(`${table.name}: ${table.created ? 'created' : 'exists'}${table.ttlEnabled ? '' : ' (TTL not supported here; expiry is checked on read)'}`);
      }
      return 0;
    } catch (error) {
      io.err(`create-tables failed: ${adminFailure(error)}`);
      return 1;
    } finally {
      await admin.close();
    }
  },
};
