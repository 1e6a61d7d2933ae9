import type { LogFields, Logger } from '../../ports/logger.js';

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** Keeps log lines in memory: for tests, and as a silent logger where output is not wanted. */
export class InMemoryLogger implements Logger {
  constructor(
    readonly entries: LogEntry[] = [],
    private readonly base: LogFields = {},
    private readonly limit = 10_000,
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.push('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.push('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.push('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.push('error', message, fields);
  }
  child(fields: LogFields): Logger {
    return new InMemoryLogger(this.entries, { ...this.base, ...fields }, this.limit);
  }

  private push(level: LogEntry['level'], message: string, fields: LogFields = {}): void {
    if (this.entries.length >= this.limit) this.entries.shift();
    this.entries.push({ level, message, fields: { ...this.base, ...fields } });
  }
}
