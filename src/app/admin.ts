import { ConfigError, loadConfig } from './config.js';
import type { AdminCommand } from './admin/admin-command.js';
import { flagsCommand } from './admin/flags.js';
import { revokeCommand } from './admin/revoke.js';
import { createTablesCommand } from './admin/create-tables.js';
import { reencryptCommand } from './admin/reencrypt.js';

/**
 * `npm run admin -- <command> [args]`: operator commands, one file per command under
 * src/app/admin/. To add one, write an AdminCommand and list it here.
 */
const COMMANDS: readonly AdminCommand[] = [flagsCommand, createTablesCommand, reencryptCommand, revokeCommand];

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const list = COMMANDS.map((c) => `  ${c.name.padEnd(14)} ${c.summary}`).join('\n');
    console.error(`usage: npm run admin -- <command> [args]\n\ncommands:\n${list}`);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 64; // EX_USAGE
  }
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  return command.run(args, { config, out: (line) => console.log(line), err: (line) => console.error(line) });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
