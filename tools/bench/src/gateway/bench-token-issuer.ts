import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** Stands in for identity's key endpoint, so the gateway verifies a real ES256 token on every request. */
export interface BenchTokenIssuer {
  /** Base URL to give the gateway as IDENTITY_URL. */
  url: string;
  /** A bearer token for one admin of one tenant, valid for an hour. */
  token: string;
  stop(): Promise<void>;
}

export async function startBenchTokenIssuer(): Promise<BenchTokenIssuer> {
  const kid = `bench-${randomUUID()}`;
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] });
  const token = await new SignJWT({ tid: randomUUID(), roles: ['admin'], teams: [] })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer('crm-identity')
    .setAudience('crm-api')
    .setSubject(randomUUID())
    .setIssuedAt()
    .setExpirationTime('1h')
    .setJti(randomUUID())
    .sign(privateKey);

  const server: Server = createServer((req, res) => {
    const found = req.method === 'GET' && req.url === '/api/v1/auth/jwks';
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    res.end(found ? jwks : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
