import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app.config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { ENTITIES } from '../src/entities';
import { describeSchema, snapshot } from './support/database-snapshot';
import { createTestApp, TestApp } from './support/test-app';
import { connectTo, createMigratedTestDatabase, createTestDatabase } from './support/test-database';

describe('schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    // An empty database: the application's start runs every migration (the other suites boot on a
    // copy of a migrated template, which the start finds with none pending).
    t = await createTestApp({}, { emptyDatabase: true });
  });
  afterAll(async () => t.close());

  it('should have migrations that build exactly the schema the entities describe', async () => {
    // TypeORM's own diff: what it would run to make the database match the entities. Must be nothing.
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('should have applied every migration on start', async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it("should give every suite a copy of the run's migrated template that equals a database the migrations build from empty", async () => {
    // The other suites boot on such copies (test/support/migrated-template.ts): this is what makes
    // that the same as migrating each of them.
    const copy = await createMigratedTestDatabase();
    const empty = await createTestDatabase();
    const copied = await connectTo(copy);
    const migrated = await new DataSource(buildDataSourceOptions(loadConfig(empty.env).database, ENTITIES)).initialize();
    try {
      await migrated.runMigrations();
      const schema = await describeSchema(migrated);
      expect(schema.filter((line) => /^(column|table) /.test(line)).length).toBeGreaterThan(30);
      expect(await describeSchema(copied)).toEqual(schema);
      const rows = await snapshot(migrated);
      expect(Object.keys(rows).length).toBeGreaterThan(30);
      expect(await snapshot(copied)).toEqual(rows);
    } finally {
      await copied.destroy();
      await migrated.destroy();
      await copy.drop();
      await empty.drop();
    }
  });

  it('should keep the full-text index in step with the recommendation text', async () => {
    const admin = await t.createUser('admin');
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 1, stateUnderReview: 'Chile' }).expect(201);
    const rec = await t.http
      .post(`/api/v1/cycles/${cycle.body.id}/recommendations`)
      .set('Authorization', admin.auth)
      .send({ text: 'Abolish the death penalty' })
      .expect(201);
    const search = (q: string) => t.http.get('/api/v1/recommendations').query({ q }).set('Authorization', admin.auth);
    expect((await search('penalty')).body.total).toBe(1);
    await t.http.patch(`/api/v1/recommendations/${rec.body.id}`).set('Authorization', admin.auth).send({ text: 'Ratify the Convention against Torture' }).expect(200);
    expect((await search('penalty')).body.total).toBe(0);
    expect((await search('torture')).body.total).toBe(1);
  });
});

describe('migrations over existing data', () => {
  it('should keep every user and coalition row when a later migration adds columns to them', async () => {
    // SQLite cannot add a column by rebuilding a parent table without deleting its children
    // (foreign keys cascade); this guards the outbox migration against that.
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, 2), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      await early.query(`INSERT INTO coalition (name) VALUES ('Early coalition')`);
      await early.query(`INSERT INTO app_user (coalition_id, email, name, role, password_hash) SELECT id, 'early@example.org', 'Early', 'admin', 'x' FROM coalition`);
      await early.destroy();

      const later = new DataSource({ ...options, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      // The notification settings have since moved to notifications' own tables, every row with them.
      const users = await later.query(`SELECT u.email, p.reminders_mode, p.digest_hour FROM app_user u JOIN notification_preference p ON p.user_id = u.id`);
      const coalitions = await later.query(`SELECT c.name, r.offsets_days FROM coalition c JOIN reminder_policy r ON r.coalition_id = c.id`);
      await later.destroy();
      expect(users).toEqual([{ email: 'early@example.org', reminders_mode: 'immediate', digest_hour: 8 }]);
      expect(coalitions).toEqual([{ name: 'Early coalition', offsets_days: '14,7,1' }]);
    } finally {
      await database.drop();
    }
  });

  it('should give existing recommendations the text key the application computes, when it adds the text key', async () => {
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { AddRecommendationTextKey1795955000000 } = await import('../migrations/1795955000000-add-recommendation-text-key');
    const { textKey } = await import('../src/recommendations/text-key');
    const { DataSource } = await import('typeorm');
    const texts = ['Abolish the death penalty', '  Ratify\tthe Optional Protocol\n to CAT ', 'Protéger les défenseurs des droits humains'];
    const database = await createTestDatabase();
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(AddRecommendationTextKey1795955000000)), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      await early.query(`INSERT INTO coalition (name) VALUES ('Keys')`);
      await early.query(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review) SELECT id, 'upr', 1, 'Chile' FROM coalition`);
      const p = options.type === 'postgres' ? '$1' : '?';
      for (const text of texts) {
        await early.query(`INSERT INTO recommendation (coalition_id, cycle_id, text) SELECT coalition_id, id, ${p} FROM review_cycle`, [text]);
      }
      await early.destroy();

      const later = new DataSource({ ...options, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const rows: { text: string; text_key: string }[] = await later.query('SELECT text, text_key FROM recommendation ORDER BY id');
      await later.destroy();
      // The migration has its own copy of the key's definition: it must agree with the application's.
      expect(rows.map((row) => row.text_key)).toEqual(texts.map(textKey));
    } finally {
      await database.drop();
    }
  });

  it("should give existing tags their recommendation's coalition when it copies the coalition onto tags", async () => {
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { AddRecommendationTagCoalitionId1795957000010 } = await import('../migrations/1795957000010-add-recommendation-tag-coalition-id');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const before = MIGRATIONS.indexOf(AddRecommendationTagCoalitionId1795957000010);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, before), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      for (const name of ['First coalition', 'Second coalition']) {
        await early.query(`INSERT INTO coalition (name) VALUES ('${name}')`);
        await early.query(
          `INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review) SELECT id, 'upr', 1, 'Chile' FROM coalition WHERE name = '${name}'`,
        );
        await early.query(
          `INSERT INTO recommendation (coalition_id, cycle_id, text) SELECT coalition_id, id, 'Abolish the death penalty' FROM review_cycle
           WHERE coalition_id = (SELECT id FROM coalition WHERE name = '${name}')`,
        );
      }
      await early.query(
        `INSERT INTO recommendation_tag (recommendation_id, kind, value, position) SELECT id, 'theme', 'D25 Prohibition of torture', 0 FROM recommendation`,
      );
      await early.query(`INSERT INTO recommendation_tag (recommendation_id, kind, value, position) SELECT id, 'sdg', '16', 0 FROM recommendation`);
      await early.destroy();

      const later = new DataSource({ ...options, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const tags: { same: number | string; total: number | string }[] = await later.query(
        `SELECT SUM(CASE WHEN t.coalition_id = r.coalition_id THEN 1 ELSE 0 END) AS same, COUNT(*) AS total
         FROM recommendation_tag t JOIN recommendation r ON r.id = t.recommendation_id`,
      );
      const pending = await later.driver.createSchemaBuilder().log();
      await later.destroy();
      expect(tags.map((row) => [Number(row.same), Number(row.total)])).toEqual([[4, 4]]);
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it('should make existing testimony confidential and leave other evidence as it was', async () => {
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { MakeTestimonyConfidential1795959100000 } = await import('../migrations/1795959100000-make-testimony-confidential');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const before = MIGRATIONS.indexOf(MakeTestimonyConfidential1795959100000);
      expect(before).toBeGreaterThan(0);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, before), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      await early.query(`INSERT INTO coalition (name) VALUES ('Early coalition')`);
      await early.query(`INSERT INTO app_user (coalition_id, email, name, role, password_hash) SELECT id, 'early@example.org', 'Early', 'member', 'x' FROM coalition`);
      await early.query(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review) SELECT id, 'upr', 1, 'Chile' FROM coalition`);
      await early.query(`INSERT INTO recommendation (coalition_id, cycle_id, text) SELECT coalition_id, id, 'End arbitrary detention' FROM review_cycle`);
      // As the old code stored them: testimony public unless someone ticked the box.
      for (const [kind, title, confidential] of [
        ['testimony', 'Testimony left public', false],
        ['testimony', 'Testimony marked confidential', true],
        ['report', 'Public report', false],
        ['document', 'Confidential document', true],
      ] as const) {
        await early.query(
          `INSERT INTO evidence (recommendation_id, kind, title, url, confidential, submitted_by_id)
           SELECT r.id, '${kind}', '${title}', 'https://example.org/e', ${confidential ? 'TRUE' : 'FALSE'}, u.id FROM recommendation r, app_user u`,
        );
      }
      await early.destroy();

      const later = new DataSource({ ...options, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const evidence: { title: string; confidential: boolean | number }[] = await later.query(`SELECT title, confidential FROM evidence ORDER BY id`);
      await later.destroy();
      expect(evidence.map((row) => [row.title, Boolean(row.confidential)])).toEqual([
        ['Testimony left public', true],
        ['Testimony marked confidential', true],
        ['Public report', false],
        ['Confidential document', true],
      ]);
    } finally {
      await database.drop();
    }
  });

  it('should keep every row that refers to a user, and give the sign-in address only to users with a password, when it moves sign-in addresses to their own column', async () => {
    // The SQLite side rebuilds app_user: with foreign keys on, dropping the old table would delete
    // its users' tokens, sessions, links, ownerships and history.
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { AddUserSignInEmail1795959200000 } = await import('../migrations/1795959200000-add-user-sign-in-email');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    const children = ['api_token', 'web_session', 'account_link', 'recommendation_owner', 'status_change', 'notification'];
    const count = async (ds: InstanceType<typeof DataSource>, table: string) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const before = MIGRATIONS.indexOf(AddUserSignInEmail1795959200000);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, before), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      await early.query(`INSERT INTO coalition (name) VALUES ('Early coalition')`);
      await early.query(`INSERT INTO app_user (coalition_id, email, name, role, password_hash) SELECT id, 'signs-in@example.org', 'Signs In', 'admin', 'x' FROM coalition`);
      await early.query(`INSERT INTO app_user (coalition_id, email, name, role, password_hash) SELECT id, 'invited@example.org', 'Invited', 'member', '' FROM coalition`);
      const [{ id: userId }] = await early.query(`SELECT id FROM app_user WHERE email = 'signs-in@example.org'`);
      await early.query(`INSERT INTO api_token (user_id, token_hash, label) VALUES (${userId}, 'token-hash', 'script')`);
      await early.query(`INSERT INTO web_session (user_id, token_hash, expires_at) VALUES (${userId}, 'session-hash', '2030-01-01 00:00:00')`);
      await early.query(`INSERT INTO account_link (user_id, token_hash, purpose, expires_at) SELECT id, 'link-hash', 'invitation', '2030-01-01 00:00:00' FROM app_user WHERE email = 'invited@example.org'`);
      await early.query(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review) SELECT id, 'upr', 1, 'Chile' FROM coalition`);
      await early.query(`INSERT INTO recommendation (coalition_id, cycle_id, text) SELECT coalition_id, id, 'Abolish the death penalty' FROM review_cycle`);
      await early.query(`INSERT INTO recommendation_owner (recommendation_id, user_id) SELECT id, ${userId} FROM recommendation`);
      await early.query(`INSERT INTO status_change (recommendation_id, changed_by_id, from_status, to_status, note) SELECT id, ${userId}, 'not_assessed', 'in_progress', 'Started' FROM recommendation`);
      await early.query(
        `INSERT INTO notification (key, coalition_id, recipient_id, kind, due_at, payload) SELECT 'k1', coalition_id, ${userId}, 'status_changed', '2030-01-01 00:00:00', '{}' FROM recommendation`,
      );
      const counts = await Promise.all(children.map((table) => count(early, table)));
      await early.destroy();

      // Logging off: the two refused statements below are expected.
      const later = new DataSource({ ...options, logging: false, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const after = await Promise.all(children.map((table) => count(later, table)));
      const users = await later.query(`SELECT email, sign_in_email FROM app_user ORDER BY id`);
      // The same address may now be in another coalition, but not twice in one, and signs in to one account only.
      await later.query(`INSERT INTO coalition (name) VALUES ('Later coalition')`);
      await later.query(`INSERT INTO app_user (coalition_id, email, name, role, password_hash) SELECT id, 'signs-in@example.org', 'Elsewhere', 'member', '' FROM coalition WHERE name = 'Later coalition'`);
      await expect(later.query(`INSERT INTO app_user (coalition_id, email, name, role, password_hash) SELECT id, 'invited@example.org', 'Twice', 'member', '' FROM coalition WHERE name = 'Early coalition'`)).rejects.toThrow();
      await expect(later.query(`UPDATE app_user SET sign_in_email = 'signs-in@example.org' WHERE name = 'Elsewhere'`)).rejects.toThrow();
      const pending = await later.driver.createSchemaBuilder().log();
      await later.destroy();
      expect(after).toEqual(counts);
      expect(counts.every((n) => n === 1)).toBe(true);
      expect(users).toEqual([
        { email: 'signs-in@example.org', sign_in_email: 'signs-in@example.org' },
        { email: 'invited@example.org', sign_in_email: null },
      ]);
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it("should carry every person's email preferences, every coalition's reminder policy and every email's coalition, when it moves the notification settings to notifications' own tables", async () => {
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { MoveNotificationSettings1795959300000 } = await import('../migrations/1795959300000-move-notification-settings');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    const children = ['api_token', 'notification', 'digest', 'recommendation_owner'];
    const count = async (ds: InstanceType<typeof DataSource>, table: string) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const before = MIGRATIONS.indexOf(MoveNotificationSettings1795959300000);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, before), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      await early.query(`INSERT INTO coalition (name, reminder_offsets_days, reminder_hour, overdue_notice) VALUES ('Changed policy', '30,2', 7, ${database.env.DATABASE_URL?.startsWith('postgres') ? 'FALSE' : '0'})`);
      await early.query(`INSERT INTO coalition (name) VALUES ('Default policy')`);
      await early.query(
        `INSERT INTO app_user (coalition_id, email, name, role, password_hash, reminders_mode, status_changes_mode, digest_hour, preferences_version, time_zone) ` +
          `SELECT id, 'changed@example.org', 'Changed', 'admin', 'x', 'off', 'daily_digest', 18, 5, 'America/Santiago' FROM coalition WHERE name = 'Changed policy'`,
      );
      await early.query(`INSERT INTO app_user (coalition_id, email, name, role, password_hash) SELECT id, 'default@example.org', 'Default', 'member', 'x' FROM coalition WHERE name = 'Default policy'`);
      await early.query(`INSERT INTO api_token (user_id, token_hash, label) SELECT id, 'token-hash', 'script' FROM app_user WHERE email = 'changed@example.org'`);
      await early.query(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review) SELECT id, 'upr', 1, 'Chile' FROM coalition WHERE name = 'Default policy'`);
      await early.query(`INSERT INTO recommendation (coalition_id, cycle_id, text) SELECT coalition_id, id, 'Abolish the death penalty' FROM review_cycle`);
      await early.query(`INSERT INTO recommendation_owner (recommendation_id, user_id) SELECT r.id, u.id FROM recommendation r, app_user u WHERE u.email = 'default@example.org'`);
      for (const email of ['changed@example.org', 'default@example.org']) {
        await early.query(`INSERT INTO digest (recipient_id, window_key, due_at) SELECT id, 'at:2030-01-01T00:00', '2030-01-01 00:00:00' FROM app_user WHERE email = '${email}'`);
        await early.query(`INSERT INTO notification (key, coalition_id, recipient_id, kind, due_at, payload) SELECT 'k-${email}', coalition_id, id, 'status_change', '2030-01-01 00:00:00', '{}' FROM app_user WHERE email = '${email}'`);
      }
      const counts = await Promise.all(children.map((table) => count(early, table)));
      await early.destroy();

      const later = new DataSource({ ...options, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const after = await Promise.all(children.map((table) => count(later, table)));
      const preferences = await later.query(
        `SELECT u.email, u.time_zone, p.reminders_mode, p.status_changes_mode, p.digest_hour, p.preferences_version FROM app_user u JOIN notification_preference p ON p.user_id = u.id ORDER BY u.id`,
      );
      const policies = await later.query(`SELECT c.name, r.offsets_days, r.hour, r.overdue_notice FROM coalition c JOIN reminder_policy r ON r.coalition_id = c.id ORDER BY c.id`);
      const digests = await later.query(`SELECT u.email FROM digest d JOIN app_user u ON u.id = d.recipient_id AND u.coalition_id = d.coalition_id ORDER BY d.id`);
      const pending = await later.driver.createSchemaBuilder().log();
      await later.destroy();
      expect(after).toEqual(counts);
      expect(preferences).toEqual([
        { email: 'changed@example.org', time_zone: 'America/Santiago', reminders_mode: 'off', status_changes_mode: 'daily_digest', digest_hour: 18, preferences_version: 5 },
        { email: 'default@example.org', time_zone: 'UTC', reminders_mode: 'immediate', status_changes_mode: 'immediate', digest_hour: 8, preferences_version: 0 },
      ]);
      expect(policies.map((p: { overdue_notice: unknown }) => ({ ...p, overdue_notice: Boolean(p.overdue_notice) }))).toEqual([
        { name: 'Changed policy', offsets_days: '30,2', hour: 7, overdue_notice: false },
        { name: 'Default policy', offsets_days: '14,7,1', hour: 9, overdue_notice: true },
      ]);
      expect(digests).toEqual([{ email: 'changed@example.org' }, { email: 'default@example.org' }]);
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it('should keep the copies earlier closes made, reclassified as carried and counted apart from what the next cycle received', async () => {
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { CarryOverAsLinks1795960500020 } = await import('../migrations/1795960500020-carry-over-as-links');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(CarryOverAsLinks1795960500020)), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      const p = (n: number) => (options.type === 'postgres' ? `$${n}` : '?');
      const one = async (sql: string, params: unknown[] = []) => {
        const rows = await early.query(`${sql} RETURNING id`, params);
        return Number((Array.isArray(rows[0]) ? rows[0] : rows)[0].id);
      };
      const coalition = await one(`INSERT INTO coalition (name) VALUES ('Old closes')`);
      const user = await one(`INSERT INTO app_user (coalition_id, email, name, role, password_hash) VALUES (${p(1)}, 'a@example.org', 'A', 'admin', 'x')`, [coalition]);
      const cycle = (number: number, state: string) =>
        one(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review, state) VALUES (${p(1)}, 'upr', ${p(2)}, 'Chile', ${p(3)})`, [coalition, number, state]);
      const [c1, c2] = [await cycle(1, 'closed'), await cycle(2, 'open')];
      const rec = (cycleId: number, text: string, status: string, predecessorId: number | null) =>
        one(`INSERT INTO recommendation (coalition_id, cycle_id, text, status, predecessor_id) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`, [coalition, cycleId, text, status, predecessorId]);
      const original = await rec(c1, 'Abolish the death penalty', 'regressed', null);
      const received = await rec(c2, 'Ratify CEDAW', 'not_assessed', null);
      const copy = await rec(c2, 'Abolish the death penalty', 'not_assessed', original);
      // Work done on the copy after the close: a status change.
      await early.query(
        `INSERT INTO status_change (recommendation_id, changed_by_id, from_status, to_status, note) VALUES (${p(1)}, ${p(2)}, 'not_assessed', 'in_progress', 'Carried over')`,
        [copy, user],
      );
      await early.query(`UPDATE recommendation SET status = 'in_progress' WHERE id = ${p(1)}`, [copy]);
      const summary = { closedAt: '2026-01-10T15:30:00.000Z', nextCycleId: c2, nextCycleCreated: true, carried: [{ fromId: original, toId: copy }], alreadyInNextCycle: [], fullyImplementedLeftBehind: 0, deadlinesCompleted: [] };
      await early.query(`UPDATE review_cycle SET next_cycle_id = ${p(1)}, close_summary = ${p(2)} WHERE id = ${p(3)}`, [c2, JSON.stringify(summary), c1]);
      await early.destroy();

      const later = new DataSource({ ...options, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const rows: { id: number; origin: string; status: string }[] = await later.query('SELECT id, origin, status FROM recommendation ORDER BY id');
      const links: Record<string, unknown>[] = await later.query('SELECT cycle_id, recommendation_id, from_cycle_id, superseded_by_id FROM carried_recommendation');
      const history = await later.query(`SELECT to_status FROM status_change WHERE recommendation_id = ${p(1)}`, [copy]);
      const pending = await later.driver.createSchemaBuilder().log();
      await later.destroy();
      // Every row survives; the copy is carried, not received, with the work done on it.
      expect(rows.map((r) => [Number(r.id), r.origin, r.status])).toEqual([
        [original, 'received', 'regressed'], [received, 'received', 'not_assessed'], [copy, 'carried', 'in_progress'],
      ]);
      expect(links.map((l) => [Number(l.cycle_id), Number(l.recommendation_id), Number(l.from_cycle_id), l.superseded_by_id])).toEqual([[c2, copy, c1, null]]);
      expect(history.map((h: { to_status: string }) => h.to_status)).toEqual(['in_progress']);
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});
