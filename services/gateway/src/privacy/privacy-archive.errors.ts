import { BadGatewayError, ConflictError } from '@crm/platform/errors';

/** 409: the request is an erasure; only exports have an archive. */
export class NoArchiveError extends ConflictError {
  constructor(requestId: string) {
    super(`Privacy request ${requestId} is not an export request, so it has no archive`, { code: 'not_an_export_request' });
  }
}

/** 502: customers answered the privacy request with something the gateway cannot read. */
export class UnreadablePrivacyRequestError extends BadGatewayError {
  constructor() {
    super('The customers service answered the privacy request with something unreadable');
  }
}
