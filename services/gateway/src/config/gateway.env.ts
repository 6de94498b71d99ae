import { BaseServiceEnv, EnvInteger } from '@crm/platform/config';
import { IsOptional, IsUrl } from 'class-validator';

const UPSTREAM_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const UPSTREAM_URL_MESSAGE = { message: 'must be an http(s) URL such as http://127.0.0.1:3001' };

/**
 * Where each service runs. A service without a URL is not deployed: its routes answer 503 and its
 * documentation and readiness are left out.
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
}
