import type { Config } from '../config.js';

export interface AdminIo {
  config: Config;
  out(line: string): void;
  err(line: string): void;
}

/** One `npm run admin -- <name> ...` subcommand. Returns the process exit code. */
export interface AdminCommand {
  name: string;
  summary: string;
  run(args: string[], io: AdminIo): Promise<number>;
}
