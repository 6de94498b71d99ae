import { BadRequestException, HttpException, InternalServerErrorException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { MissingTenantError } from '../database/request-context';
import { InternalCredentialRequiredError, PermissionDeniedError, UnauthenticatedError } from './auth-errors';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationFailedError } from './standard-errors';
import { toProblemDetails } from './problem-mapper';

const context = { instance: '/api/v1/leads/42', requestId: 'req-1' };

class LeadNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`Lead ${id} does not exist`, { code: 'lead_not_found' });
  }
}

describe('toProblemDetails', () => {
  it('renders a domain error with its own code, title and detail', () => {
    const { problem, unexpected } = toProblemDetails(new LeadNotFoundError('42'), context);

    expect(problem).toEqual({
      type: 'urn:crm:problem:lead_not_found',
      title: 'Not Found',
      status: 404,
      detail: 'Lead 42 does not exist',
      instance: '/api/v1/leads/42',
      code: 'lead_not_found',
      requestId: 'req-1',
    });
    expect(unexpected).toBe(false);
  });

  it('uses the standard code when a domain error does not name one', () => {
    expect(toProblemDetails(new ConflictError('Already converted')).problem).toMatchObject({ status: 409, code: 'conflict', title: 'Conflict' });
    expect(toProblemDetails(new ServiceUnavailableError('sales is down')).problem).toMatchObject({ status: 503, code: 'service_unavailable' });
  });

  it('lists field errors of a failed validation', () => {
    const error = new ValidationFailedError([{ field: 'items[0].sku', message: 'sku must be a string' }]);

    expect(toProblemDetails(error, context).problem).toMatchObject({
      status: 400,
      code: 'validation_failed',
      errors: [{ field: 'items[0].sku', message: 'sku must be a string' }],
    });
  });

  it('answers a missing tenant with 401 and a bearer challenge', () => {
    const { problem, headers } = toProblemDetails(new MissingTenantError(), context);

    expect(problem).toMatchObject({ status: 401, code: 'tenant_required' });
    expect(headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('answers the access errors with 401 (and a challenge) or 403', () => {
    const unauthenticated = toProblemDetails(new UnauthenticatedError(), context);
    expect(unauthenticated.problem).toMatchObject({ status: 401, code: 'unauthenticated', title: 'Unauthorized', detail: 'This operation needs an authenticated user' });
    expect(unauthenticated.headers['www-authenticate']).toMatch(/^Bearer/);

    expect(toProblemDetails(new InternalCredentialRequiredError('missing internal credential')).problem).toMatchObject({
      status: 401,
      code: 'internal_credential_required',
      detail: expect.stringContaining('missing internal credential'),
    });
    const denied = toProblemDetails(new PermissionDeniedError());
    expect(denied.problem).toMatchObject({ status: 403, code: 'forbidden', title: 'Forbidden' });
    expect(denied.headers).toEqual({});
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(toProblemDetails(new NotFoundException('Cannot GET /api/v1/nothing')).problem).toMatchObject({
      status: 404,
      code: 'not_found',
      title: 'Not Found',
      detail: 'Cannot GET /api/v1/nothing',
    });
    expect(toProblemDetails(new PayloadTooLargeException()).problem).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(toProblemDetails(new HttpException('slow down', 429)).problem).toMatchObject({ status: 429, code: 'too_many_requests', detail: 'slow down' });
  });

  it('keeps the messages of a plain ValidationPipe as errors', () => {
    const { problem } = toProblemDetails(new BadRequestException(['name must be a string']));

    expect(problem).toMatchObject({ status: 400, code: 'bad_request', errors: [{ message: 'name must be a string' }] });
  });

  it('answers unreadable JSON with 400 and oversized bodies with 413', () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token } in JSON at position 9'), { status: 400, expose: true, type: 'entity.parse.failed' });
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true, type: 'entity.too.large', limit: 1024 });

    expect(toProblemDetails(parseError).problem).toMatchObject({ status: 400, code: 'malformed_body', detail: 'The request body is not valid JSON' });
    expect(toProblemDetails(tooLarge).problem).toMatchObject({ status: 413, code: 'payload_too_large', detail: 'The request body exceeds the limit of 1024 bytes' });
  });

  it('hides the details of unknown errors and of Nest 500s', () => {
    for (const error of [new TypeError("Cannot read properties of undefined (reading 'id')"), new InternalServerErrorException('pool exhausted'), 'a string']) {
      const { problem, unexpected } = toProblemDetails(error, context);

      expect(unexpected).toBe(true);
      expect(problem).toMatchObject({ status: 500, code: 'internal_error', requestId: 'req-1' });
      expect(JSON.stringify(problem)).not.toMatch(/reading 'id'|pool exhausted|at .*\.ts/);
    }
  });
});
