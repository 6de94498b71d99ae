import 'reflect-metadata';
import { ConfigError, loadConfig } from '@crm/platform/config';
import { GatewayEnv } from './gateway.env';

const SECRET = { INTERNAL_AUTH_SECRET: 'a-gateway-env-spec-secret-0123456789' };

function issues(env: Record<string, string>): string[] {
  try {
    loadConfig(GatewayEnv, { ...SECRET, ...env });
  } catch (error) {
    return (error as ConfigError).issues.map((issue) => issue.variable);
  }
  return [];
}

describe('GatewayEnv', () => {
  it('has working defaults: limits on, CORS off, no proxy trusted', () => {
    const config = loadConfig(GatewayEnv, SECRET);

    expect(config).toMatchObject({
      GATEWAY_API_KEY_CACHE_MS: 5_000,
      GATEWAY_JWKS_REFETCH_COOLDOWN_MS: 30_000,
      GATEWAY_RATE_LIMIT_USER_PER_MIN: 600,
      GATEWAY_RATE_LIMIT_API_KEY_PER_MIN: 1_200,
      GATEWAY_RATE_LIMIT_TENANT_PER_MIN: 6_000,
      GATEWAY_RATE_LIMIT_AUTH_IP_PER_MIN: 20,
      GATEWAY_TRUST_PROXY: 0,
      GATEWAY_MAX_BODY_BYTES: 5_242_880,
      GATEWAY_MAX_IMPORT_BODY_BYTES: 538_968_064,
      GATEWAY_IMPORT_UPLOAD_TIMEOUT_MS: 3_600_000,
    });
    expect(config.GATEWAY_CORS_ORIGINS).toBeUndefined();
  });

  it('reads GATEWAY_TRUST_PROXY as a hop count, true meaning one', () => {
    expect(loadConfig(GatewayEnv, { ...SECRET, GATEWAY_TRUST_PROXY: 'true' }).GATEWAY_TRUST_PROXY).toBe(1);
    expect(loadConfig(GatewayEnv, { ...SECRET, GATEWAY_TRUST_PROXY: 'off' }).GATEWAY_TRUST_PROXY).toBe(0);
    expect(loadConfig(GatewayEnv, { ...SECRET, GATEWAY_TRUST_PROXY: '2' }).GATEWAY_TRUST_PROXY).toBe(2);
    expect(issues({ GATEWAY_TRUST_PROXY: 'maybe' })).toEqual(['GATEWAY_TRUST_PROXY']);
  });

  it('accepts * or a list of origins for CORS, nothing else', () => {
    expect(issues({ GATEWAY_CORS_ORIGINS: '*' })).toEqual([]);
    expect(issues({ GATEWAY_CORS_ORIGINS: 'https://crm.example.com, http://localhost:5173' })).toEqual([]);
    expect(issues({ GATEWAY_CORS_ORIGINS: 'https://crm.example.com/' })).toEqual(['GATEWAY_CORS_ORIGINS']);
    expect(issues({ GATEWAY_CORS_ORIGINS: 'crm.example.com' })).toEqual(['GATEWAY_CORS_ORIGINS']);
  });

  it('needs the internal auth secret', () => {
    expect(() => loadConfig(GatewayEnv, {})).toThrow(/INTERNAL_AUTH_SECRET/);
  });
});
