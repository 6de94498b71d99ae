import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentContext } from '../database/request-context';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { toProblemDetails, type MappedProblem, type ProblemContext } from './problem-mapper';

type RequestWithOriginalUrl = IncomingMessage & { originalUrl?: string };

/** Where and for which request id a problem occurred, from the request context or the echoed header. */
export function problemContextOf(req: RequestWithOriginalUrl, res: ServerResponse): ProblemContext {
  const url = req.originalUrl ?? req.url ?? '';
  const queryStart = url.indexOf('?');
  const echoedRequestId = res.getHeader('x-request-id');
  return {
    instance: queryStart === -1 ? url : url.slice(0, queryStart),
    requestId: currentContext()?.requestId ?? (typeof echoedRequestId === 'string' ? echoedRequestId : undefined),
  };
}

/** Writes a mapped problem; a response already under way cannot change status, so it is cut off instead. */
export function sendProblem(res: ServerResponse, mapped: MappedProblem): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(mapped.problem);
  res.statusCode = mapped.problem.status;
  for (const [name, value] of Object.entries(mapped.headers)) res.setHeader(name, value);
  res.setHeader('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/** Maps and writes an error in one step, for handlers outside Nest's routing (the gateway proxy). */
export function respondWithProblem(req: RequestWithOriginalUrl, res: ServerResponse, error: unknown): MappedProblem {
  const mapped = toProblemDetails(error, problemContextOf(req, res));
  sendProblem(res, mapped);
  return mapped;
}
