import { Logger, type ArgumentsHost } from '@nestjs/common';
import { runWithContext } from '../database/request-context';
import { ProblemDetailsFilter } from './problem-details.filter';
import { ForbiddenError } from './standard-errors';

class RecordingResponse {
  statusCode = 200;
  headersSent = false;
  destroyed = false;
  body?: string;
  readonly headers: Record<string, unknown> = {};
  setHeader(name: string, value: unknown): void {
    this.headers[name.toLowerCase()] = value;
  }
  getHeader(name: string): unknown {
    return this.headers[name.toLowerCase()];
  }
  end(body: string): void {
    this.body = body;
    this.headersSent = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function httpHost(res: RecordingResponse, url = '/api/v1/quotes/7?expand=lines'): ArgumentsHost {
  const req = { method: 'POST', url, originalUrl: url };
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res, getNext: () => undefined }),
  } as unknown as ArgumentsHost;
}

describe('ProblemDetailsFilter', () => {
  const filter = new ProblemDetailsFilter();
  let loggedErrors: jest.SpyInstance;

  beforeEach(() => {
    loggedErrors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => loggedErrors.mockRestore());

  it('writes problem+json with the request id of the current context', () => {
    const res = new RecordingResponse();

    runWithContext({ requestId: 'req-9', roles: [], teamIds: [] }, () => filter.catch(new ForbiddenError('Quotes of another team'), httpHost(res)));

    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(res.body!)).toEqual({
      type: 'urn:crm:problem:forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'Quotes of another team',
      instance: '/api/v1/quotes/7',
      code: 'forbidden',
      requestId: 'req-9',
    });
  });

  it('logs an unexpected error with its stack but answers with a generic 500', () => {
    const res = new RecordingResponse();
    res.setHeader('x-request-id', 'echoed-1');
    const error = new Error('boom');

    filter.catch(error, httpHost(res));

    expect(JSON.parse(res.body!)).toMatchObject({ status: 500, requestId: 'echoed-1', detail: expect.not.stringContaining('boom') });
    expect(res.body).not.toContain('at ');
    expect(loggedErrors).toHaveBeenCalledWith(expect.stringContaining('boom'), error.stack);
  });

  it('cuts off a response that has already started instead of writing a second status', () => {
    const res = new RecordingResponse();
    res.headersSent = true;

    filter.catch(new Error('stream broke'), httpHost(res));

    expect(res.destroyed).toBe(true);
    expect(res.body).toBeUndefined();
  });
});
