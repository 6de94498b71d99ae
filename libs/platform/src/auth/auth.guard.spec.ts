import { Controller, Get, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { runWithContext, type RequestContext } from '../database/request-context';
import { PermissionDeniedError, UnauthenticatedError } from '../errors/auth-errors';
import { AuthGuard } from './auth.guard';
import { Public, RequirePermissions } from './decorators';

@Controller('users')
class UsersController {
  @Get()
  list(): string {
    return 'list';
  }

  @Public()
  @Get('signup')
  signup(): string {
    return 'signup';
  }

  @RequirePermissions('users:write')
  @Get('create')
  create(): string {
    return 'create';
  }
}

@Public()
@RequirePermissions('audit:read')
@Controller('audit')
class AuditController {
  @RequirePermissions('pii:read')
  @Get()
  list(): string {
    return 'list';
  }
}

function route(controller: new () => object, handler: string): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => controller,
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
  } as unknown as ExecutionContext;
}

const guard = new AuthGuard(new Reflector());
const anonymous: RequestContext = { requestId: 'r-1', roles: [], teamIds: [] };
const as = (roles: string[]): RequestContext => ({ requestId: 'r-2', tenantId: 't-1', userId: 'u-1', roles, teamIds: [] });
const check = (context: RequestContext, target: ExecutionContext): boolean => runWithContext(context, () => guard.canActivate(target));

describe('AuthGuard', () => {
  it('requires a signed-in user on routes without a decorator', () => {
    expect(() => check(anonymous, route(UsersController, 'list'))).toThrow(UnauthenticatedError);
    expect(() => check({ ...anonymous, tenantId: 't-1' }, route(UsersController, 'list'))).toThrow(UnauthenticatedError);
    expect(check(as(['rep']), route(UsersController, 'list'))).toBe(true);
  });

  it('lets anyone reach a public route', () => {
    expect(check(anonymous, route(UsersController, 'signup'))).toBe(true);
  });

  it('answers 401 without a user and 403 without the permission', () => {
    expect(() => check(anonymous, route(UsersController, 'create'))).toThrow(UnauthenticatedError);
    expect(() => check(as(['manager']), route(UsersController, 'create'))).toThrow(PermissionDeniedError);
    expect(check(as(['admin']), route(UsersController, 'create'))).toBe(true);
  });

  it('needs the controller and the route permissions together, even on a public controller', () => {
    expect(() => check(anonymous, route(AuditController, 'list'))).toThrow(UnauthenticatedError);
    expect(() => check(as(['manager']), route(AuditController, 'list'))).toThrow(/audit:read, pii:read|pii:read, audit:read/);
    expect(check(as(['admin']), route(AuditController, 'list'))).toBe(true);
  });

  it('leaves non-HTTP contexts alone', () => {
    expect(runWithContext(anonymous, () => guard.canActivate({ ...route(UsersController, 'list'), getType: () => 'rpc' } as ExecutionContext))).toBe(true);
  });
});
