import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from './role';
import type { AuthUser } from './auth-user';

export const PUBLIC_ROUTE = 'upr:public';
export const ALLOWED_ROLES = 'upr:roles';
export const WEB_PAGE = 'upr:web-page';

/** The name of the httpOnly cookie that holds a browser's session token. */
export const SESSION_COOKIE = 'upr_session';

/** Marks a route that needs no token (only /health and the unsubscribe link). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Marks a controller of web pages: the person is recognised by the session cookie instead of a
 * bearer token (and is sent to the sign-in page when there is none).
 */
export const WebPage = () => SetMetadata(WEB_PAGE, true);

/** Restricts a route to these roles; without it every signed-in role may call it. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

export const Auth = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest().user as AuthUser;
});
