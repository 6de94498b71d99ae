import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyInternalCredential, type InternalIdentity } from '@crm/platform/auth';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';

/** What a fake server saw of one request. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
  /** Whether the request carried a credential signed with the suite's secret. */
  credentialValid: boolean;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

export interface TokenOptions {
  tenantId?: string;
  userId?: string;
  roles?: string[];
  teams?: string[];
  key?: SigningKey;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  audience?: string;
  issuer?: string;
  /** Overrides the header's kid (e.g. a kid identity never published). */
  kid?: string;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

export function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Reads the body and answers with what was received, so tests can see what the gateway forwarded. */
export function echo(secret: string, seen: Received[], extraHeaders: Record<string, string> = {}): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      const received: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        bodyBytes,
        credentialValid: verifyInternalCredential(secret, req.headers).valid,
      };
      seen.push(received);
      res.writeHead(200, { 'content-type': 'application/json', ...extraHeaders });
      res.end(JSON.stringify(received));
    });
  };
}

/**
 * Stands in for the identity service: serves its JWKS and the API-key verification endpoint as the
 * design describes, echoes every other request (the public auth routes), and counts what it is asked.
 */
export class FakeIdentity {
  readonly published: SigningKey[] = [];
  /** Full key → the identity identity would answer; absent keys are refused with 401. */
  readonly apiKeys = new Map<string, { identity: InternalIdentity; keyId: string }>();
  readonly seen: Received[] = [];
  jwksFetches = 0;
  verifyCalls = 0;
  url = '';
  private readonly server: Server;

  private constructor(private readonly secret: string) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  static async start(secret: string, keys: SigningKey[]): Promise<FakeIdentity> {
    const identity = new FakeIdentity(secret);
    identity.published.push(...keys);
    identity.url = await listen(identity.server);
    return identity;
  }

  close(): Promise<void> {
    return close(this.server);
  }

  token(options: TokenOptions = {}): Promise<string> {
    const key = options.key ?? this.published[0];
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: options.tenantId ?? 'tenant-a', roles: options.roles ?? ['rep'], teams: options.teams ?? ['team-1'] })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? key.kid })
      .setIssuer(options.issuer ?? 'crm-identity')
      .setAudience(options.audience ?? 'crm-api')
      .setSubject(options.userId ?? 'user-1')
      .setIssuedAt(now - 60)
      .setExpirationTime(now + (options.expiresIn ?? 900))
      .setJti(`${now}-${Math.random()}`)
      .sign(key.privateKey);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const credentialValid = verifyInternalCredential(this.secret, req.headers).valid;
    if (req.url === '/api/v1/auth/jwks' && req.method === 'GET') {
      this.jwksFetches += 1;
      if (!credentialValid) return refuse(res);
      return json(res, 200, { keys: this.published.map((key) => key.publicJwk) });
    }
    if (req.url === '/api/v1/internal/api-keys/verify' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.verifyCalls += 1;
        // The real service refuses an identified caller here too; the gateway always calls anonymously.
        if (!credentialValid || req.headers['x-tenant-id']) return refuse(res);
        const entry = this.apiKeys.get((JSON.parse(body) as { key: string }).key);
        if (!entry) return json(res, 401, { status: 401, code: 'invalid_api_key', detail: 'The API key is not valid' });
        json(res, 200, { ...entry.identity, keyId: entry.keyId });
      });
      return;
    }
    if (req.url === '/health/ready') return json(res, 200, { status: 'up', checks: {} });
    if (req.url === '/api/docs-json') return json(res, 200, IDENTITY_DOCUMENT);
    echo(this.secret, this.seen)(req, res);
  }
}

/** A slice of identity's API document: one public and one protected operation, as the platform's builder names its schemes. */
const IDENTITY_DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'identity', version: '1.0.0' },
  paths: {
    '/api/v1/auth/login': { post: { tags: ['auth'], security: [], responses: { '200': { description: 'tokens' } } } },
    '/api/v1/users': { get: { tags: ['users'], security: [{ bearer: [] }, { 'api-key': [] }], responses: { '200': { description: 'users' } } } },
  },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'api-key': { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
  security: [{ bearer: [] }, { 'api-key': [] }],
};

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse): void {
  json(res, 401, { status: 401, code: 'internal_credential_required', detail: 'This service only answers requests forwarded by the API gateway' });
}
