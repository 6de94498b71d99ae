import { ConflictError, UnprocessableError } from '../errors/standard-errors';

export class IdempotencyKeyReusedError extends UnprocessableError {
  constructor() {
    super('This Idempotency-Key was already used for a different request (method, path or body); use a new key for a new request', { code: 'idempotency_key_reused' });
  }
}

export class IdempotentRequestInFlightError extends ConflictError {
  constructor() {
    super('A request with this Idempotency-Key is still being processed; retry once it has finished', { code: 'idempotency_request_in_flight' });
  }
}

export class InvalidIdempotencyKeyError extends UnprocessableError {
  constructor() {
    super('Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID', { code: 'invalid_idempotency_key' });
  }
}
