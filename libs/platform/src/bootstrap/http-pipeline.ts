import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger as PinoLogger } from 'pino';
import { InternalCredentialGate } from '../auth/internal-credential.gate';
import type { BaseServiceEnv } from '../config/base-service-env';
import { fromBodyParserError } from '../errors/body-parser-errors';
import { respondWithProblem } from '../errors/problem-response';
import { httpTelemetryMiddleware } from '../observability/http-telemetry.middleware';
import { requestContextMiddleware, type Middleware } from '../observability/request-context.middleware';
import type { ServiceDefinition } from './service-definition';

export const API_PREFIX = 'api/v1';
/** Probes and scrapes are addressed by infrastructure, not API clients, so they stay unversioned. */
export const UNPREFIXED_ROUTES = ['health/live', 'health/ready', 'metrics'];

/** Sees requests before Express and Nest; answers them or calls `next()` to hand them on. */
export interface RawHttpHandler {
  handle(req: IncomingMessage, res: ServerResponse, next: () => void): void;
}

/**
 * Every request first gets its request context, then its access log and duration metric, then (in an
 * internal service) the internal-credential check, then goes to the service's raw handler if it has
 * one, and finally to Express and Nest. The first steps run on the HTTP server itself rather than as
 * Express middleware: Express's per-request set-up costs more than proxying a request, and the gateway
 * forwards most of its traffic without it. Refusing a direct call there costs one HMAC.
 */
export function installHttpPipeline(app: NestExpressApplication, definition: ServiceDefinition, config: BaseServiceEnv, logger: PinoLogger): void {
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: config.HTTP_BODY_LIMIT_BYTES });
  app.useBodyParser('urlencoded', { limit: config.HTTP_BODY_LIMIT_BYTES, extended: true });
  app.use(translateBodyParserErrors);
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });

  // Internal services believe identity headers only under the gateway's credential, and refuse
  // requests without one; the gateway faces clients and authenticates them itself.
  const gate = (definition.trustIdentityHeaders ?? true) ? new InternalCredentialGate(config.INTERNAL_AUTH_SECRET) : undefined;
  const steps: Middleware[] = [
    requestContextMiddleware({ identityVerified: gate?.verified }),
    httpTelemetryMiddleware({ service: definition.name, logger }),
  ];
  if (gate) steps.push(gate.enforce);
  if (definition.rawHttpHandler) {
    const raw = app.get(definition.rawHttpHandler);
    steps.push((req, res, next) => raw.handle(req, res, next));
  }
  wrapRequestListener(app.getHttpServer() as Server, (nest) => chain(steps, nest));
}

function wrapRequestListener(server: Server, wrap: (nest: RequestListener) => RequestListener): void {
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1) throw new Error(`Expected the HTTP server to have one request listener (Express), found ${listeners.length}`);
  server.removeListener('request', listeners[0]);
  server.on('request', wrap(listeners[0]));
}

const pipelineLogger = new Logger('HttpPipeline');

/** Runs the steps in order; a step that throws gets a problem response instead of crashing the process. */
function chain(steps: readonly Middleware[], last: RequestListener): RequestListener {
  return (req, res) => {
    let index = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined) return fail(req, res, error);
      const step = steps[index++];
      try {
        if (step) step(req, res, next);
        else last(req, res);
      } catch (thrown) {
        fail(req, res, thrown);
      }
    };
    next();
  };
}

function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const mapped = respondWithProblem(req, res, error);
  if (mapped.unexpected) {
    pipelineLogger.error(`${req.method} ${mapped.problem.instance} failed: ${String(error)}`, error instanceof Error ? error.stack : undefined);
  }
}

/** Express error middleware: hands unreadable bodies to the exception filter as the caller's mistake. */
function translateBodyParserErrors(error: unknown, _req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  next(fromBodyParserError(error) ?? error);
}
