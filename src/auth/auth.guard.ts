import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../accounts/role';
import { TokensService } from '../accounts/tokens.service';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './auth.decorators';

/**
 * Global guard: every route needs a valid, unrevoked bearer token of an active user unless it is
 * marked @Public(); @Roles() then narrows who may call it (403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers?.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw unauthorized('Send an API token as "Authorization: Bearer <token>"');
    const user = await this.tokens.authenticate(match[1]);
    if (!user) throw unauthorized('The API token is unknown, revoked, or belongs to a deactivated user');
    request.user = user;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `This action needs the role ${roles.join(' or ')}; you are ${user.role}`,
        details: { allowedRoles: roles, yourRole: user.role },
      });
    }
    return true;
  }
}

function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });
}
