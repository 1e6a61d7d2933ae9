import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import type { AuditEvent, AuditLog } from '../../ports/audit-log.js';
import type { Clock } from '../../ports/clock.js';
import { currentRequestContext } from './correlation.js';
import type { Redactor } from './redaction.js';
import { activeTraceFields } from './trace-fields.js';

export type AuditDestination =
  | { kind: 'stdout'; stream?: NodeJS.WritableStream }
  /** Daily files `audit-YYYY-MM-DD.log` in `directory`, gzipped when rotated, deleted after `retentionDays`. */
  | { kind: 'file'; directory: string; retentionDays: number };

export interface WinstonAuditLogOptions {
  redactor: Redactor;
  destination: AuditDestination;
  clock?: Clock;
}

const MESSAGE = Symbol.for('message');
const MAX_REASON_LENGTH = 200;

/**
 * The security audit stream, separate from the application log: its own winston logger and
 * transport, every line tagged `log.type: "audit"`. Only the AuditEvent fields are written, so
 * content cannot reach it; actor and tenant go through the same Redactor as the app log.
 */
export class WinstonAuditLog implements AuditLog {
  private readonly sink: winston.Logger;

  constructor(private readonly options: WinstonAuditLogOptions) {
    this.sink = winston.createLogger({
      level: 'info',
      format: winston.format((info) => {
        (info as Record<symbol, unknown>)[MESSAGE] = JSON.stringify(info.audit);
        return info;
      })(),
      transports: [makeTransport(options.destination)],
    });
  }

  record(event: AuditEvent): void {
    const { redactor, clock } = this.options;
    const context = currentRequestContext();
    const { trace_id, span_id } = activeTraceFields();
    const line = {
      time: new Date(clock?.now() ?? Date.now()).toISOString(),
      log: { type: 'audit' },
      action: event.action,
      outcome: event.outcome,
      tenant: pick(event.tenantId ?? context?.tenantId, (t) => redactor.tenantLabel(t)),
      actor: pick(event.actor, (a) => redactor.userLabel(a)),
      clientId: pick(event.clientId, (c) => redactor.scrubString(c)),
      reason: pick(event.reason, (r) => redactor.scrubString(r).slice(0, MAX_REASON_LENGTH)),
      correlationId: event.correlationId ?? context?.correlationId,
      trace_id,
      span_id,
    };
    this.sink.info({ message: event.action, audit: line });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.sink.on('finish', () => resolve());
      this.sink.end();
    });
  }
}

function pick(value: string | undefined, map: (v: string) => string): string | undefined {
  return value === undefined ? undefined : map(value);
}

function makeTransport(destination: AuditDestination): winston.transport {
  if (destination.kind === 'stdout') {
    return new winston.transports.Stream({ stream: destination.stream ?? process.stdout });
  }
  return new DailyRotateFile({
    dirname: destination.directory,
    filename: 'audit-%DATE%.log',
    datePattern: 'YYYY-MM-DD',
    zippedArchive: true,
    maxFiles: `${destination.retentionDays}d`,
  });
}
