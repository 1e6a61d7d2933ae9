import winston from 'winston';
import type { Clock } from '../../ports/clock.js';
import type { LogFields, Logger } from '../../ports/logger.js';
import { currentRequestContext } from './correlation.js';
import type { Redactor } from './redaction.js';
import { activeTraceFields } from './trace-fields.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface WinstonLoggerOptions {
  redactor: Redactor;
  level?: LogLevel;
  /** Where JSON lines go; stdout by default (the container's log driver ships it to Datadog). */
  stream?: NodeJS.WritableStream;
  clock?: Clock;
  /** Unified service tagging fields added to every line (`service`, `env`, `version`). */
  service?: { name: string; env?: string; version?: string };
}

const MESSAGE = Symbol.for('message');
/** Our fields travel under a symbol so winston's own keys (level, message) can never be clobbered. */
const FIELDS = Symbol('fields');

interface Entry extends winston.LogEntry {
  [FIELDS]?: LogFields;
}

/**
 * The application log: one JSON line per event with time, level, message, the request context
 * (correlation id, tool, family, tenant), trace/span ids, then the caller's fields, all passed
 * through the one Redactor.
 */
export class WinstonLogger implements Logger {
  private readonly sink: winston.Logger;
  private readonly bound: LogFields;

  constructor(options: WinstonLoggerOptions | ChildOf) {
    if ('parentSink' in options) {
      this.sink = options.parentSink;
      this.bound = options.bound;
    } else {
      this.sink = createSink(options);
      this.bound = {};
    }
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }

  child(fields: LogFields): Logger {
    return new WinstonLogger({ parentSink: this.sink, bound: { ...this.bound, ...fields } });
  }

  /** Flushes and closes the transport (call on shutdown). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.sink.on('finish', () => resolve());
      this.sink.end();
    });
  }

  private write(level: LogLevel, message: string, fields?: LogFields): void {
    if (!this.sink.isLevelEnabled(level)) return;
    const entry: Entry = { level, message, [FIELDS]: { ...this.bound, ...fields } };
    this.sink.log(entry);
  }
}

/** A child shares its parent's sink and adds bound fields. */
interface ChildOf {
  parentSink: winston.Logger;
  bound: LogFields;
}

function createSink(options: WinstonLoggerOptions): winston.Logger {
  const { redactor, clock, service } = options;
  const serialize = winston.format((info) => {
    const entry = info as Entry;
    const context = currentRequestContext();
    const core = {
      time: new Date(clock?.now() ?? Date.now()).toISOString(),
      level: entry.level,
      message: redactor.scrubString(String(entry.message)),
      ...(service === undefined ? {} : { service: service.name, env: service.env, version: service.version }),
      ...activeTraceFields(),
    };
    const fields = redactor.redactFields({ ...context, ...entry[FIELDS] });
    const line: Record<string, unknown> = { ...core };
    // A caller's field never replaces a core key (level, message, trace ids); it is kept renamed.
    for (const [key, value] of Object.entries(fields)) line[key in core ? `${key}_field` : key] = value;
    (info as Record<symbol, unknown>)[MESSAGE] = JSON.stringify(line);
    return info;
  });
  return winston.createLogger({
    level: options.level ?? 'info',
    levels: winston.config.npm.levels,
    format: serialize(),
    transports: [new winston.transports.Stream({ stream: options.stream ?? process.stdout })],
  });
}
