import { Injectable, Logger } from '@nestjs/common';
import { ANONYMOUS_IDENTITY, signInternalCredential, type InternalIdentity } from '@crm/platform/auth';
import type { JSONWebKeySet } from 'jose';
import type { Dispatcher } from 'undici';
import { GatewayEnv } from '../config/gateway.env';
import { IdentityUnavailableError } from '../errors/gateway-errors';
import { UpstreamRegistry } from '../upstreams/upstream-registry';
import { identifierList, isIdentifier } from './identity-claims';

export const JWKS_PATH = '/api/v1/auth/jwks';
export const API_KEY_VERIFY_PATH = '/api/v1/internal/api-keys/verify';
/** identity's answer when it does not accept the gateway's credential: the shared secrets differ. */
const CREDENTIAL_REFUSED = 'internal_credential_required';
/** One warning per this period is enough to tell an operator identity is unreachable. */
const WARN_EVERY_MS = 10_000;

export interface VerifiedApiKey {
  identity: InternalIdentity;
  keyId: string;
}

/**
 * The gateway's own calls to identity: its signing keys and API-key checks. They go over the identity
 * upstream's keep-alive pool, as an anonymous caller vouched for by the internal credential. Any failure
 * to get a usable answer is an IdentityUnavailableError (503), never a verdict on the credentials.
 */
@Injectable()
export class IdentityClient {
  private readonly logger = new Logger(IdentityClient.name);
  private lastWarningAt = -Infinity;

  constructor(
    private readonly upstreams: UpstreamRegistry,
    private readonly config: GatewayEnv,
  ) {}

  async fetchJwks(): Promise<JSONWebKeySet> {
    const response = await this.call('GET', JWKS_PATH);
    const body = (await response.body.json().catch(() => undefined)) as { keys?: unknown } | undefined;
    if (response.statusCode !== 200 || !Array.isArray(body?.keys)) {
      throw this.unavailable(`GET ${JWKS_PATH} answered ${response.statusCode} without a key set`);
    }
    return body as JSONWebKeySet;
  }

  /** The identity behind an API key, or undefined when identity says the key is not valid. */
  async verifyApiKey(key: string): Promise<VerifiedApiKey | undefined> {
    const response = await this.call('POST', API_KEY_VERIFY_PATH, JSON.stringify({ key }));
    const body = (await response.body.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (response.statusCode === 200) {
      const verified = verifiedApiKey(body);
      if (verified) return verified;
      throw this.unavailable(`POST ${API_KEY_VERIFY_PATH} answered an unusable identity`);
    }
    if (response.statusCode === 401 && body?.code === CREDENTIAL_REFUSED) {
      throw this.unavailable(`identity refused the gateway's internal credential: is INTERNAL_AUTH_SECRET the same for both?`, 'error');
    }
    if (response.statusCode === 400 || response.statusCode === 401) return undefined;
    throw this.unavailable(`POST ${API_KEY_VERIFY_PATH} answered ${response.statusCode}`);
  }

  private async call(method: 'GET' | 'POST', path: string, body?: string): Promise<Dispatcher.ResponseData> {
    const upstream = this.upstreams.get('identity');
    if (!upstream) throw new IdentityUnavailableError('Credentials cannot be checked because the identity service is not deployed');
    const headers: Record<string, string> = { ...(signInternalCredential(this.config.INTERNAL_AUTH_SECRET, ANONYMOUS_IDENTITY) as Record<string, string>) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await upstream.pool.request({
        method,
        path: upstream.basePath + path,
        headers,
        body,
        signal: AbortSignal.timeout(this.config.GATEWAY_IDENTITY_TIMEOUT_MS),
      });
    } catch (error) {
      // The message names the path only: the request body may hold an API key.
      throw this.unavailable(`${method} ${path} failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  private unavailable(reason: string, level: 'warn' | 'error' = 'warn'): IdentityUnavailableError {
    const now = Date.now();
    if (level === 'error' || now - this.lastWarningAt >= WARN_EVERY_MS) {
      this.lastWarningAt = now;
      this.logger[level](`Cannot check credentials with identity: ${reason}`);
    }
    return new IdentityUnavailableError();
  }
}

function verifiedApiKey(body: Record<string, unknown> | undefined): VerifiedApiKey | undefined {
  if (!body || !isIdentifier(body.tenantId) || !isIdentifier(body.userId) || !isIdentifier(body.keyId)) return undefined;
  const roles = identifierList(body.roles);
  const teamIds = identifierList(body.teamIds);
  if (!roles || !teamIds) return undefined;
  return { keyId: body.keyId, identity: { tenantId: body.tenantId, userId: body.userId, roles, teamIds } };
}
