import { SetMetadata } from '@nestjs/common';
import type { Permission } from './roles';

export const IS_PUBLIC_KEY = 'crm:auth:public';
export const REQUIRED_PERMISSIONS_KEY = 'crm:auth:permissions';

/**
 * The route (or every route of the controller) needs no signed-in user: login, signup, public forms,
 * probes. The gateway's internal credential is still required at the service boundary.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The route needs a signed-in user holding every listed permission: 401 without a user, 403 when a
 * permission is missing. On a controller it applies to every route, together with the routes' own.
 */
export const RequirePermissions = (...permissions: Permission[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_PERMISSIONS_KEY, permissions);
