import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../accounts/role';
import type { AuthUser } from './auth-user';

export const PUBLIC_ROUTE = 'upr:public';
export const ALLOWED_ROLES = 'upr:roles';

/** Marks a route that needs no token (only /health and the unsubscribe link). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Restricts a route to these roles; without it every signed-in role may call it. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

export const Auth = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  return context.switchToHttp().getRequest().user as AuthUser;
});
