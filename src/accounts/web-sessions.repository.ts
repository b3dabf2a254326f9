import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { placeholder, sqlTime } from '../database/sql-values';
import type { Role } from '../auth/role';
import { DEFAULT_LANGUAGE, isAppLanguage } from '../i18n/i18n';
import { WebSession } from './web-session.entity';

@Injectable()
export class WebSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  insertSession(userId: number, tokenHash: string, expiresAt: Date): Promise<WebSession> {
    return this.dataSource.manager.save(this.dataSource.manager.create(WebSession, { userId, tokenHash, expiresAt }));
  }

  /** The signed-in person behind a session cookie, as the guard needs it on every page: one indexed join. */
  async findSessionUser(tokenHash: string, now: Date): Promise<AuthUser | null> {
    const p = (n: number) => placeholder(this.dataSource, n);
    const rows: { user_id: number; coalition_id: number; role: Role; email: string; name: string; language: string }[] = await this.dataSource.query(
      'SELECT u.id AS user_id, u.coalition_id, u.role, u.email, u.name, u.language FROM web_session s JOIN app_user u ON u.id = s.user_id ' +
        `WHERE s.token_hash = ${p(1)} AND s.expires_at > ${p(2)} AND u.active = ${p(3)}`,
      [tokenHash, sqlTime(this.dataSource, now), true],
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    return { id: row.user_id, coalitionId: row.coalition_id, role: row.role, email: row.email, name: row.name, language: isAppLanguage(row.language) ? row.language : DEFAULT_LANGUAGE };
  }

  deleteSession(tokenHash: string): Promise<unknown> {
    return this.dataSource.manager.delete(WebSession, { tokenHash });
  }

  /** Signs a person out everywhere: after a password reset or when they are deactivated. */
  deleteSessionsOfUser(userId: number, manager: EntityManager = this.dataSource.manager): Promise<unknown> {
    return manager.delete(WebSession, { userId });
  }

  deleteExpiredSessions(now: Date): Promise<unknown> {
    return this.dataSource.manager.delete(WebSession, { expiresAt: LessThan(now) });
  }
}
