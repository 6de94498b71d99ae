/**
 * Defaults of `JWT_ISSUER` / `JWT_AUDIENCE`, one definition for identity (which issues access tokens)
 * and the gateway (which verifies them), so the two agree unless an operator changes both.
 */
export const DEFAULT_ACCESS_TOKEN_ISSUER = 'crm-identity';
export const DEFAULT_ACCESS_TOKEN_AUDIENCE = 'crm-api';
