import { isInternalPath, publicAccess } from './public-routes';

describe('publicAccess', () => {
  it.each([
    ['POST', '/api/v1/auth/signup', 'auth'],
    ['POST', '/api/v1/auth/login', 'auth'],
    ['POST', '/api/v1/auth/login/', 'auth'],
    ['POST', '/api/v1/auth/refresh?x=1', 'auth'],
    ['POST', '/api/v1/auth/logout', 'auth'],
    ['GET', '/api/v1/auth/jwks', 'auth'],
    ['HEAD', '/api/v1/auth/jwks', 'auth'],
    ['POST', '/api/v1/public/forms/contact-us/submissions', 'public'],
    ['GET', '/api/v1/public/tickets/T-1', 'public'],
  ])('lets %s %s through anonymously (%s)', (method, url, access) => {
    expect(publicAccess(method, url)).toBe(access);
  });

  it.each([
    ['GET', '/api/v1/auth/login'],
    ['DELETE', '/api/v1/auth/logout'],
    ['POST', '/api/v1/auth/jwks'],
    ['POST', '/api/v1/auth/login/extra'],
    ['POST', '/api/v1/auth/LOGIN'],
    ['POST', '/api/v1/auth'],
    ['GET', '/api/v1/me'],
    ['GET', '/api/v1/users'],
    ['GET', '/api/v1/public'],
    ['GET', '/api/v1/publicity/x'],
    ['GET', '/api/v1/customers?next=/api/v1/public/x'],
    ['POST', '/api/v2/auth/login'],
  ])('protects %s %s', (method, url) => {
    expect(publicAccess(method, url)).toBeUndefined();
  });
});

describe('isInternalPath', () => {
  it.each(['/api/v1/internal', '/api/v1/internal/', '/api/v1/internal/api-keys/verify', '/api/v1/internal?x', '/api/v1/Internal/api-keys/verify'])('refuses %s', (url) => {
    expect(isInternalPath(url)).toBe(true);
  });

  it.each(['/api/v1/internals', '/api/v1/users/internal', '/api/v1/customers?internal=1'])('leaves %s alone', (url) => {
    expect(isInternalPath(url)).toBe(false);
  });
});
