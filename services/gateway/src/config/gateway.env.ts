import { DEFAULT_ACCESS_TOKEN_AUDIENCE, DEFAULT_ACCESS_TOKEN_ISSUER } from '@crm/platform/auth';
import { BaseServiceEnv, EnvInteger, EnvText } from '@crm/platform/config';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';

const UPSTREAM_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const UPSTREAM_URL_MESSAGE = { message: 'must be an http(s) URL such as http://127.0.0.1:3001' };
/** `0` turns a limit off (benchmarks, a deployment limiting in front of the gateway). */
const RATE_LIMIT = { min: 0, max: 10_000_000 };
/** `*`, or a comma-separated list of origins exactly as browsers send them (no path, no trailing slash). */
const CORS_ORIGINS = /^\s*(\*|https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*)\s*$/i;
const TRUST_PROXY_MESSAGE = 'must be true, false or the number of proxies in front of the gateway (0 to 10)';

/** `true` means one proxy (a load balancer), `false` none; anything else is read as a hop count. */
function toProxyHops(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (['true', 'yes', 'on'].includes(word)) return 1;
  if (['false', 'no', 'off'].includes(word)) return 0;
  return /^\d+$/.test(word) ? Number(word) : value;
}

/**
 * Where each service runs, and how the gateway admits requests. A service without a URL is not
 * deployed: its routes answer 503 and its documentation and readiness are left out.
 */
export class GatewayEnv extends BaseServiceEnv {
  @IsOptional()
  @IsUrl(UPSTREAM_URL, UPSTREAM_URL_MESSAGE)
  IDENTITY_URL?: string;

  @IsOptional()
  @IsUrl(UPSTREAM_URL, UPSTREAM_URL_MESSAGE)
  CUSTOMERS_URL?: string;

  @IsOptional()
  @IsUrl(UPSTREAM_URL, UPSTREAM_URL_MESSAGE)
  SALES_URL?: string;

  @IsOptional()
  @IsUrl(UPSTREAM_URL, UPSTREAM_URL_MESSAGE)
  TICKETING_URL?: string;

  @IsOptional()
  @IsUrl(UPSTREAM_URL, UPSTREAM_URL_MESSAGE)
  MARKETING_URL?: string;

  @IsOptional()
  @IsUrl(UPSTREAM_URL, UPSTREAM_URL_MESSAGE)
  ANALYTICS_URL?: string;

  /** Longest wait for an upstream connection, or for its response headers, before answering 504. */
  @EnvInteger({ min: 100, max: 300_000 })
  GATEWAY_UPSTREAM_TIMEOUT_MS = 10_000;

  /** Keep-alive connections per upstream service. */
  @EnvInteger({ min: 1, max: 4_096 })
  GATEWAY_UPSTREAM_CONNECTIONS = 128;

  /** How long the merged API document is reused before the services are asked again. */
  @EnvInteger({ min: 0, max: 3_600_000 })
  GATEWAY_DOCS_CACHE_MS = 30_000;

  /** Longest wait for identity (signing keys, API-key checks) before the request is answered 503. */
  @EnvInteger({ min: 100, max: 60_000 })
  GATEWAY_IDENTITY_TIMEOUT_MS = 3_000;

  /** `iss` access tokens must carry; the same variable (and default) as identity's, which issues them. */
  @EnvText()
  JWT_ISSUER = DEFAULT_ACCESS_TOKEN_ISSUER;

  /** `aud` access tokens must carry; the same variable (and default) as identity's. */
  @EnvText()
  JWT_AUDIENCE = DEFAULT_ACCESS_TOKEN_AUDIENCE;

  /** How often identity's signing keys (JWKS) are fetched again in the background. */
  @EnvInteger({ min: 1_000, max: 86_400_000 })
  GATEWAY_JWKS_REFRESH_MS = 300_000;

  /**
   * A token signed with a key the gateway does not know makes it fetch the keys again, but not sooner
   * than this after the previous fetch, so forged key ids cannot turn the gateway against identity.
   */
  @EnvInteger({ min: 0, max: 3_600_000 })
  GATEWAY_JWKS_REFETCH_COOLDOWN_MS = 30_000;

  /**
   * How long a verified API key is trusted without asking identity again, i.e. how long a revoked key
   * may still work. 0 asks identity on every request.
   */
  @EnvInteger({ min: 0, max: 300_000 })
  GATEWAY_API_KEY_CACHE_MS = 5_000;

  /** Requests per minute per user (bearer tokens), per gateway instance. */
  @EnvInteger(RATE_LIMIT)
  GATEWAY_RATE_LIMIT_USER_PER_MIN = 600;

  /** Requests per minute per API key, per gateway instance. */
  @EnvInteger(RATE_LIMIT)
  GATEWAY_RATE_LIMIT_API_KEY_PER_MIN = 1_200;

  /** Requests per minute per tenant (all its users and keys together), per gateway instance. */
  @EnvInteger(RATE_LIMIT)
  GATEWAY_RATE_LIMIT_TENANT_PER_MIN = 6_000;

  /** Requests per minute per client IP to the public auth routes (signup, login, refresh, logout, jwks). */
  @EnvInteger(RATE_LIMIT)
  GATEWAY_RATE_LIMIT_AUTH_IP_PER_MIN = 20;

  /** Requests per minute per client IP to the anonymous `/api/v1/public/` routes (forms, tracking links). */
  @EnvInteger(RATE_LIMIT)
  GATEWAY_RATE_LIMIT_PUBLIC_IP_PER_MIN = 600;

  /**
   * Reverse proxies in front of the gateway whose `X-Forwarded-For` entries are believed when finding
   * the client IP for rate limits. 0 (default) uses the socket address: a client could forge the header.
   */
  @Transform(({ value }) => toProxyHops(value))
  @IsInt({ message: TRUST_PROXY_MESSAGE })
  @Min(0, { message: TRUST_PROXY_MESSAGE })
  @Max(10, { message: TRUST_PROXY_MESSAGE })
  GATEWAY_TRUST_PROXY = 0;

  /** Largest request body forwarded to a service; larger ones are answered 413. */
  @EnvInteger({ min: 1_024, max: 1_073_741_824 })
  GATEWAY_MAX_BODY_BYTES = 5_242_880;

  /**
   * Largest body of `POST /api/v1/customers/imports`, the upload of an import file (streamed, never
   * buffered): the customers service's CUSTOMERS_IMPORT_MAX_BYTES (512 MiB) plus room for the form.
   */
  @EnvInteger({ min: 1_024, max: 17_179_869_184 })
  GATEWAY_MAX_IMPORT_BODY_BYTES = 538_968_064;

  /** How long the customers service may take to answer an import upload, which it does once it has the whole file. */
  @EnvInteger({ min: 1_000, max: 86_400_000 })
  GATEWAY_IMPORT_UPLOAD_TIMEOUT_MS = 3_600_000;

  /** Origins browsers may call the API from: `*`, or a comma-separated list. Empty turns CORS off. */
  @IsOptional()
  @Matches(CORS_ORIGINS, { message: 'must be * or a comma-separated list of origins such as https://crm.example.com' })
  GATEWAY_CORS_ORIGINS?: string;

  /** How long browsers may reuse a CORS preflight answer. */
  @EnvInteger({ min: 0, max: 86_400 })
  GATEWAY_CORS_MAX_AGE_S = 600;
}
