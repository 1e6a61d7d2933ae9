import { userInfo } from 'node:os';
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

/** Who runs an operator command, for the audit trail (pseudonymised there like any actor). */
export function operatorName(): string {
  try {
    return `operator:${userInfo().username}`;
  } catch {
    return 'operator:unknown';
  }
}
