import type { IncomingMessage, ServerResponse } from 'node:http';
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { problemContextOf, sendProblem } from './problem-response';
import { toProblemDetails } from './problem-mapper';

/**
 * The one place HTTP errors are rendered: every exception becomes `application/problem+json`.
 * Unexpected errors are logged with their stack and answered with a generic 500, so internals never leak.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const mapped = toProblemDetails(exception, problemContextOf(req, res));
    if (mapped.unexpected) {
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`${req.method} ${mapped.problem.instance} failed: ${error.message}`, error.stack);
    } else if (mapped.problem.status >= 500) {
      this.logger.warn(`${req.method} ${mapped.problem.instance} answered ${mapped.problem.status}: ${mapped.problem.detail}`);
    }
    sendProblem(res, mapped);
  }
}
