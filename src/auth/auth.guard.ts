import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from './role';
import type { AuthUser } from './auth-user';
import { CREDENTIALS, type Credentials } from './credentials';
import { ALLOWED_ROLES, PUBLIC_ROUTE, SESSION_COOKIE, WEB_PAGE } from './auth.decorators';

/**
 * Global guard: every route needs a valid, unrevoked bearer token of an active user unless it is
 * marked @Public(); @Roles() then narrows who may call it (403).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CREDENTIALS) private readonly credentials: Credentials,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest();
    const webPage = this.reflector.getAllAndOverride<boolean>(WEB_PAGE, targets);
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      // A public page still knows who is signed in (its header says so; the sign-in page moves on).
      const token = webPage ? request.cookies?.[SESSION_COOKIE] : undefined;
      if (token) request.user = (await this.credentials.userOfSession(token)) ?? undefined;
      return true;
    }

    const user = webPage
      ? await this.fromSessionCookie(request.cookies?.[SESSION_COOKIE])
      : await this.fromBearerToken(request.headers?.authorization);
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

  private async fromBearerToken(header: string | undefined): Promise<AuthUser> {
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw unauthorized('Send an API token as "Authorization: Bearer <token>"');
    const user = await this.credentials.userOfToken(match[1]);
    if (!user) throw unauthorized('The API token is unknown, revoked, or belongs to a deactivated user');
    return user;
  }

  /** Web pages: the page's exception filter turns the 401 into a redirect to the sign-in page. */
  private async fromSessionCookie(token: string | undefined): Promise<AuthUser> {
    const user = token ? await this.credentials.userOfSession(token) : null;
    if (!user) throw unauthorized('Please sign in');
    return user;
  }
}

function unauthorized(message: string): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });
}
