import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { CredentialsRequiredError, InvalidTokenError } from '../errors/gateway-errors';
import { AccessTokenVerifier } from './access-token-verifier';
import { ApiKeyVerifier } from './api-key-verifier';
import { Caller } from './caller';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Establishes who a request to a protected route is from: `Authorization: Bearer <access token>`
 * (checked against identity's signing keys) or `X-API-Key` (checked with identity). A request with
 * both is judged by its token. Public routes do not come here: they go through anonymously.
 *
 * Answers synchronously from cache when it can (the common case), so the proxy allocates no promise.
 */
@Injectable()
export class GatewayAuth {
  /** One shared instance: anonymous callers differ in nothing, and it caches its signed headers. */
  readonly anonymous = Caller.anonymous();

  constructor(
    private readonly tokens: AccessTokenVerifier,
    private readonly apiKeys: ApiKeyVerifier,
  ) {}

  /** Throws (or rejects with) a 401 problem for missing or bad credentials, a 503 when identity cannot tell. */
  authenticate(req: IncomingMessage): Caller | Promise<Caller> {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const bearer = BEARER.exec(authorization);
      if (!bearer) throw authorization.trim() === '' ? new CredentialsRequiredError() : new InvalidTokenError('The Authorization header must be "Bearer <access token>"');
      return this.tokens.verify(bearer[1]);
    }
    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey === 'string' && apiKey !== '') return this.apiKeys.verify(apiKey.trim());
    throw new CredentialsRequiredError();
  }
}
