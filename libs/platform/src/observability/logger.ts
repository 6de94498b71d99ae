import pino, { type DestinationStream, type Logger } from 'pino';
import { currentContext } from '../database/request-context';
import type { LogLevel } from '../config/base-service-env';
import { traceIdOf } from './trace-context';

export interface ServiceLoggerOptions {
  service: string;
  level: LogLevel;
  /** Defaults to stdout. */
  destination?: DestinationStream;
}

/** Who a log line is about: added to every line written while serving a request or handling an event. */
export function contextLogFields(): Record<string, string | undefined> {
  const context = currentContext();
  if (!context) return {};
  return {
    requestId: context.requestId,
    tenantId: context.tenantId,
    userId: context.userId,
    traceId: traceIdOf(context.traceparent),
  };
}

/** One JSON object per line, with the service name and the current request's identity on every line. */
export function createServiceLogger(options: ServiceLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: contextLogFields,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false, minLength: 0 }),
  );
}
