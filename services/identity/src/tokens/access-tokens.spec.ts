import { exportJWK, generateKeyPair, jwtVerify, createLocalJWKSet, decodeProtectedHeader, errors } from 'jose';
import { loadConfig } from '@crm/platform/config';
import { IdentityEnv } from '../config/identity.env';
import { AccessTokens } from './access-tokens';
import type { SigningKeys } from './signing-keys';

const ENV = { INTERNAL_AUTH_SECRET: 'x'.repeat(32), ACCESS_TOKEN_TTL_S: '600' };

async function keyPair(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwks: createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] }) };
}

describe('AccessTokens', () => {
  const subject = { tenantId: 'a6f0e3f2-7c1d-4e0b-9a55-1d2c3b4a5f60', userId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e', roles: ['manager'], teamIds: ['team-1'] };

  async function issuer() {
    const key = await keyPair('key-1');
    const keys = { active: async () => ({ kid: 'key-1', privateKey: key.privateKey }) } as unknown as SigningKeys;
    return { tokens: new AccessTokens(keys, loadConfig(IdentityEnv, ENV)), jwks: key.jwks };
  }

  it('signs ES256 tokens with the claims the gateway forwards', async () => {
    const { tokens, jwks } = await issuer();
    const issued = await tokens.issue(subject);

    const { payload, protectedHeader } = await jwtVerify(issued.accessToken, jwks, { issuer: 'crm-identity', audience: 'crm-api' });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'key-1', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: subject.userId, tid: subject.tenantId, roles: ['manager'], teams: ['team-1'], jti: expect.any(String) });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(issued.expiresIn).toBe(600);
  });

  it('gives every token its own id', async () => {
    const { tokens } = await issuer();
    const [a, b] = await Promise.all([tokens.issue(subject), tokens.issue(subject)]);

    expect(a.accessToken).not.toBe(b.accessToken);
  });

  it('issues tokens no other key verifies and that cannot be altered', async () => {
    const { tokens } = await issuer();
    const other = await keyPair('key-1');
    const { accessToken } = await tokens.issue(subject);

    await expect(jwtVerify(accessToken, other.jwks)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
    const [header, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    const { jwks } = await issuer();
    await expect(jwtVerify(`${header}.${forged}.${signature}`, jwks)).rejects.toThrow();
    expect(decodeProtectedHeader(accessToken).kid).toBe('key-1');
  });
});
