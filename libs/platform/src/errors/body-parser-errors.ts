import type { DomainError } from './domain-error';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './standard-errors';

/** The error shapes body-parser (through http-errors) produces for unreadable request bodies. */
interface BodyParserErrorLike {
  type?: unknown;
  limit?: unknown;
  message?: unknown;
}

/**
 * The caller's mistake behind a body-parser failure, or undefined for anything else. Translating these
 * early matters: Nest would otherwise turn a JSON SyntaxError into a generic 400 with the parser's message.
 */
export function fromBodyParserError(error: unknown): DomainError | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { type, limit, message } = error as BodyParserErrorLike;
  switch (type) {
    case 'entity.parse.failed':
      return new BadRequestError('The request body is not valid JSON', { code: 'malformed_body' });
    case 'entity.too.large':
      return new PayloadTooLargeError(`The request body exceeds the limit of ${typeof limit === 'number' ? limit : 'the configured'} bytes`);
    case 'parameters.too.many':
      return new PayloadTooLargeError('The request body has too many parameters');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(typeof message === 'string' ? message : 'Unsupported request body encoding');
    case 'request.aborted':
    case 'request.size.invalid':
      return new BadRequestError('The request body was incomplete', { code: 'incomplete_body' });
    default:
      return undefined;
  }
}
