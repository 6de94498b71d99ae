import { loadConfig } from '@crm/platform/config';
import { IdentityEnv } from '../config/identity.env';
import { SignupDisabledError } from './auth.errors';
import { AuthService } from './auth.service';

describe('AuthService', () => {
  it('refuses sign-up when ALLOW_SIGNUP=false, before touching anything', async () => {
    const config = loadConfig(IdentityEnv, { INTERNAL_AUTH_SECRET: 's'.repeat(32), ALLOW_SIGNUP: 'false' });
    // Every collaborator is absent: reaching any of them would throw a TypeError instead.
    const none = undefined as never;
    const auth = new AuthService(none, none, none, none, none, none, none, none, none, config);

    await expect(auth.signup({ tenantName: 'T', name: 'N', email: 'n@t.test', password: 'Long-enough-1' }, { ip: null, userAgent: null })).rejects.toBeInstanceOf(
      SignupDisabledError,
    );
  });
});
