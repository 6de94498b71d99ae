import { GatewayEnv } from '../config/gateway.env';

/** How much of a request body the gateway forwards, and how long the service may take to answer it. */
export interface BodyLimit {
  maxBytes: number;
  /** Upstream response-headers timeout for this request, when it differs from GATEWAY_UPSTREAM_TIMEOUT_MS. */
  headersTimeoutMs?: number;
}

const IMPORT_UPLOAD = /^\/api\/v1\/customers\/imports\/?(?:\?.*)?$/;

/** Exactly `POST /api/v1/customers/imports`: a CSV file of up to a million customers. */
export function isImportUpload(method: string | undefined, url: string): boolean {
  return method === 'POST' && IMPORT_UPLOAD.test(url);
}

/**
 * GATEWAY_MAX_BODY_BYTES for every request but the upload of a customer import, which is a file of
 * hundreds of megabytes (GATEWAY_MAX_IMPORT_BODY_BYTES). Its body is streamed like any other, never
 * buffered. The service answers such an upload only once it has all of it, and a client on a slow line
 * takes minutes to send it, so its response may take up to GATEWAY_IMPORT_UPLOAD_TIMEOUT_MS.
 */
export class BodyLimits {
  private readonly standard: BodyLimit;
  private readonly importUpload: BodyLimit;

  constructor(config: Pick<GatewayEnv, 'GATEWAY_MAX_BODY_BYTES' | 'GATEWAY_MAX_IMPORT_BODY_BYTES' | 'GATEWAY_IMPORT_UPLOAD_TIMEOUT_MS'>) {
    this.standard = { maxBytes: config.GATEWAY_MAX_BODY_BYTES };
    this.importUpload = { maxBytes: config.GATEWAY_MAX_IMPORT_BODY_BYTES, headersTimeoutMs: config.GATEWAY_IMPORT_UPLOAD_TIMEOUT_MS };
  }

  of(method: string | undefined, url: string): BodyLimit {
    return isImportUpload(method, url) ? this.importUpload : this.standard;
  }
}
