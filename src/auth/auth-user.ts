import type { AppLanguage } from '../i18n/i18n';
import type { Role } from './role';

/** Who is making the request, as established by the bearer token. Passed to every service call. */
export interface AuthUser {
  id: number;
  coalitionId: number;
  role: Role;
  email: string;
  name: string;
  /** The person's language (signed-in pages and emails); known on web sessions, absent for API tokens, whose JSON stays English. */
  language?: AppLanguage;
}

/** Coordinators and admins may read confidential evidence; members may not. */
export function canReadConfidential(user: AuthUser): boolean {
  return user.role === 'admin' || user.role === 'coordinator';
}
