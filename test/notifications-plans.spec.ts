import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app.config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { ENTITIES } from '../src/entities';
import { NotificationsRepository } from '../src/notifications/notifications.repository';
import { statementsWithParametersOf } from './support/statement-log';

/**
 * SQLite has no statistics (the application never runs ANALYZE), and took an equality on the first
 * column of notification's (state, ...) index for a handful of rows: `id IN (...) AND state =
 * 'pending'` read every pending notice, per email sent (100,000 of them when 100,000 reminders were
 * due), and grouping read past every notice already put in an email. Each statement of the
 * dispatcher's per-email path, and grouping's, is asked for its plan on the real schema.
 */
describe('the dispatcher statements on SQLite: no statement reads every pending notice', () => {
  let dir: string;
  let dataSource: DataSource;
  let repository: NotificationsRepository;
  const statements: { sql: string; parameters: unknown[] }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upr-notification-plans-'));
    const options = buildDataSourceOptions(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, DATA_DIR: dir }).database, ENTITIES);
    dataSource = new DataSource(options);
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.query(`INSERT INTO coalition (name) VALUES ('Plans')`);
    await dataSource.query(`INSERT INTO app_user (coalition_id, email, name, role, password_hash) SELECT id, 'member@example.org', 'Member', 'member', 'x' FROM coalition`);
    // Pending notices, a few of them in an email: what a drain of many reminders looks like.
    await dataSource.query(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
       INSERT INTO notification (key, coalition_id, recipient_id, kind, due_at, payload)
       SELECT 'plan:' || i, u.coalition_id, u.id, 'deadline_reminder', '2027-03-09 09:00:00.000', '{}' FROM n, app_user u`,
    );
    await dataSource.query(`INSERT INTO digest (recipient_id, coalition_id, window_key, due_at, state) SELECT id, coalition_id, 'at:2027-03-09T09:00', '2027-03-09 09:00:00.000', 'pending' FROM app_user`);
    await dataSource.query(`UPDATE notification SET digest_id = (SELECT id FROM digest) WHERE id <= 20`);
    repository = new NotificationsRepository(dataSource);
    // Every statement the repository runs, with its parameters, to be explained afterwards.
    statements.push(...await statementsWithParametersOf(dataSource, async () => {
      const now = new Date('2027-03-09T09:00:05Z');
      const [digest] = await repository.findDigests([1]);
      await repository.findDueUnassigned(now, 1000);
      await repository.claimDue('owner', now, new Date(now.getTime() + 60_000), 200);
      await repository.findPendingOfDigests([digest.id]);
      await repository.setStates([21, 22], 'cancelled', 'a test', null);
      await repository.recordSent([{ digestId: digest.id, owner: 'owner', sentAt: now, messageId: '<m@x>', toAddress: 'member@example.org', notificationIds: [1, 2, 3], accountEmail: false }]);
    }));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const plans = async () => {
    const explained: { sql: string; plan: string }[] = [];
    for (const { sql, parameters } of statements.filter((s) => /^\s*(SELECT|UPDATE|WITH)/i.test(s.sql) && /notification|digest/i.test(s.sql))) {
      const rows = await dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, parameters) as { detail: string }[];
      explained.push({ sql: sql.replace(/\s+/g, ' ').trim(), plan: rows.map((r) => r.detail).join(' / ') });
    }
    return explained;
  };

  it('should find the statements it explains (the per-email path and grouping)', async () => {
    const explained = await plans();
    expect(explained.some((e) => /^UPDATE notification SET state = 'sent'/.test(e.sql))).toBe(true);
    expect(explained.some((e) => /FROM notification WHERE state = 'pending' AND digest_id IS NULL/.test(e.sql))).toBe(true);
    expect(explained.length).toBeGreaterThanOrEqual(5);
  });

  it('should read notices by id or by email, never by their state alone', async () => {
    // "(state=?)" alone is a walk over every pending notice (or every pending email).
    const byStateAlone = (await plans()).filter((e) => /USING (COVERING )?INDEX \S+ \(state=\?\)/.test(e.plan));
    expect(byStateAlone).toEqual([]);
  });

  it('should find the notices in no email yet from the first of them, not past those already in one', async () => {
    const grouping = (await plans()).find((e) => /WHERE state = 'pending' AND digest_id IS NULL/.test(e.sql))!;
    expect(grouping.plan).toContain('IDX_notification_unassigned_due (state=? AND digest_id=? AND due_at<?)');
    expect(grouping.plan).not.toContain('TEMP B-TREE');
  });
});
