import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import { GatewayEnv } from '../config/gateway.env';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, X-API-Key, Idempotency-Key, If-Match, If-None-Match, Content-Type, Accept-Language, X-Request-Id, Traceparent';
/** Response headers browser code may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After, ETag, Location, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, WWW-Authenticate';
const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';

/**
 * Cross-origin access for browser apps, configured by GATEWAY_CORS_ORIGINS (`*` or a list of origins;
 * unset = off, browsers then refuse cross-origin calls). The gateway answers preflights itself, for every
 * path, and marks every response to an allowed origin, proxied or not. Credentials mode is never
 * allowed: the API authenticates with headers, not cookies.
 */
@Injectable()
export class CorsPolicy {
  readonly enabled: boolean;
  private readonly anyOrigin: boolean;
  private readonly origins: ReadonlySet<string>;
  private readonly maxAge: string;

  constructor(config: GatewayEnv) {
    const configured = (config.GATEWAY_CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== '');
    this.anyOrigin = configured.includes('*');
    // Browsers send origins in lower case for scheme and host.
    this.origins = new Set(configured.map((origin) => origin.toLowerCase()));
    this.enabled = configured.length > 0;
    this.maxAge = String(config.GATEWAY_CORS_MAX_AGE_S);
  }

  /**
   * Adds the CORS headers a request from another origin gets. Returns true when the request was a
   * preflight and has been answered; the caller then does nothing more with it.
   */
  apply(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    const allowed = this.anyOrigin || this.origins.has(origin.toLowerCase());
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      this.answerPreflight(res, origin, allowed);
      return true;
    }
    if (!allowed) return false;
    if (this.anyOrigin) {
      res.setHeader('access-control-allow-origin', '*');
    } else {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    return false;
  }

  /** A disallowed origin gets an answer without any allow header, which the browser treats as a refusal. */
  private answerPreflight(res: ServerResponse, origin: string, allowed: boolean): void {
    res.statusCode = 204;
    res.setHeader('vary', PREFLIGHT_VARY);
    if (allowed) {
      res.setHeader('access-control-allow-origin', this.anyOrigin ? '*' : origin);
      res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', this.maxAge);
    }
    res.end();
  }
}
