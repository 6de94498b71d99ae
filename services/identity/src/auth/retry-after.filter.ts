import type { ServerResponse } from 'node:http';
import { Catch, type ArgumentsHost } from '@nestjs/common';
import { ProblemDetailsFilter } from '@crm/platform/errors';
import { LoginLockedError } from './auth.errors';

/** Adds `Retry-After` to a lock-out; the platform's filter renders the problem itself. */
@Catch(LoginLockedError)
export class RetryAfterFilter extends ProblemDetailsFilter {
  override catch(exception: LoginLockedError, host: ArgumentsHost): void {
    if (host.getType() === 'http') host.switchToHttp().getResponse<ServerResponse>().setHeader('retry-after', String(exception.retryAfterS));
    super.catch(exception, host);
  }
}
