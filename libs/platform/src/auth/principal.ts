import { currentContext, type RequestContext } from '../database/request-context';
import { UnauthenticatedError } from '../errors/auth-errors';
import { isRole, type Role } from './roles';

/** The signed-in user a request acts for, as the gateway vouched for them. */
export interface Principal {
  tenantId: string;
  userId: string;
  /** Known roles only; anything else in `x-roles` grants nothing and is left out. */
  roles: readonly Role[];
  /** Teams the user is a member of. */
  teamIds: readonly string[];
}

/** The principal of the current request, or undefined for anonymous calls and work outside a request. */
export function currentPrincipal(context: RequestContext | undefined = currentContext()): Principal | undefined {
  if (!context?.tenantId || !context.userId) return undefined;
  return { tenantId: context.tenantId, userId: context.userId, roles: context.roles.filter(isRole), teamIds: context.teamIds };
}

/** The principal of the current request; throws UnauthenticatedError (401) when there is none. */
export function principal(context?: RequestContext): Principal {
  const found = currentPrincipal(context ?? currentContext());
  if (!found) throw new UnauthenticatedError();
  return found;
}
