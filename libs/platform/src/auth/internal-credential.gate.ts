import type { IncomingMessage } from 'node:http';
import { InternalCredentialRequiredError } from '../errors/auth-errors';
import type { Middleware } from '../observability/request-context.middleware';
import { verifyInternalCredential, type CredentialCheck } from './internal-credential';

/**
 * What a service answers without the gateway's credential: probes and scrapes come from the
 * orchestrator and Prometheus, and the gateway fetches each API document to merge them.
 */
export const CREDENTIAL_EXEMPT_PATHS: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics', '/api/docs-json']);

/**
 * The service side of the internal credential, in the raw HTTP pipeline (before Express): the request
 * context reads the identity headers only when `verified`, and `enforce` refuses everything else that
 * is not exempt with 401 `internal_credential_required`. Each request's credential is checked once.
 */
export class InternalCredentialGate {
  private readonly outcomes = new WeakMap<IncomingMessage, CredentialCheck>();

  constructor(private readonly secret: string) {}

  /** Whether the request's identity headers carry a valid credential. */
  readonly verified = (req: IncomingMessage): boolean => this.check(req).valid;

  /** Pipeline step (after the request context and access log, so refusals are logged and counted). */
  readonly enforce: Middleware = (req, _res, next) => {
    const outcome = this.check(req);
    if (outcome.valid || isExempt(req)) return next();
    next(new InternalCredentialRequiredError(outcome.reason));
  };

  private check(req: IncomingMessage): CredentialCheck {
    let outcome = this.outcomes.get(req);
    if (!outcome) {
      outcome = verifyInternalCredential(this.secret, req.headers);
      this.outcomes.set(req, outcome);
    }
    return outcome;
  }
}

function isExempt(req: IncomingMessage): boolean {
  if (req.method !== 'GET') return false;
  const url = req.url ?? '';
  const queryStart = url.indexOf('?');
  return CREDENTIAL_EXEMPT_PATHS.has(queryStart === -1 ? url : url.slice(0, queryStart));
}
