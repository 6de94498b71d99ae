import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PermissionDeniedError } from '../errors/auth-errors';
import { IS_PUBLIC_KEY, REQUIRED_PERMISSIONS_KEY } from './decorators';
import { principal } from './principal';
import { hasPermission, type Permission } from './roles';

/**
 * The one access check in front of every controller route, registered globally by the platform.
 * Routes are closed by default: without `@Public()` a signed-in user is required, so a forgotten
 * decorator fails safe. `@RequirePermissions` adds what that user's roles must grant.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    // Events reach handlers through the messaging layer, not Nest's router; only HTTP is guarded here.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const required = this.reflector.getAllAndMerge<Permission[]>(REQUIRED_PERMISSIONS_KEY, targets) ?? [];
    if (required.length === 0 && this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true) return true;
    const caller = principal();
    const missing = required.filter((permission) => !hasPermission(caller.roles, permission));
    if (missing.length > 0) throw new PermissionDeniedError(`This operation needs the permission ${missing.join(', ')}`);
    return true;
  }
}
