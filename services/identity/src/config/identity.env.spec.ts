import { ConfigError, loadConfig } from '@crm/platform/config';
import { IdentityEnv } from './identity.env';

const REQUIRED = { INTERNAL_AUTH_SECRET: 's'.repeat(32) };

describe('IdentityEnv', () => {
  it('has defaults for everything identity adds', () => {
    expect(loadConfig(IdentityEnv, REQUIRED)).toMatchObject({
      ALLOW_SIGNUP: true,
      ACCESS_TOKEN_TTL_S: 900,
      REFRESH_TOKEN_TTL_S: 2_592_000,
      LOGIN_MAX_FAILURES: 5,
      LOGIN_FAILURE_WINDOW_S: 900,
      LOGIN_LOCKOUT_S: 900,
      JWT_ISSUER: 'crm-identity',
      JWT_AUDIENCE: 'crm-api',
    });
  });

  it('names every bad variable, without echoing the admin password', () => {
    const load = () =>
      loadConfig(
        IdentityEnv,
        { ...REQUIRED, ALLOW_SIGNUP: 'perhaps', ACCESS_TOKEN_TTL_S: '5', LOGIN_MAX_FAILURES: '0', CRM_ADMIN_EMAIL: 'admin', CRM_ADMIN_PASSWORD: 'short' },
        'identity',
      );

    expect(load).toThrow(ConfigError);
    const message = (() => {
      try {
        load();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('ALLOW_SIGNUP must be true or false (got "perhaps")');
    expect(message).toContain('ACCESS_TOKEN_TTL_S must be an integer between 60 and 86400');
    expect(message).toContain('LOGIN_MAX_FAILURES must be an integer between 1 and 1000 (got "0")');
    expect(message).toContain('CRM_ADMIN_EMAIL must be an e-mail address (got "admin")');
    expect(message).toContain('CRM_ADMIN_PASSWORD must be at least 10 characters long (value hidden)');
    expect(message).not.toContain('short');
  });
});
