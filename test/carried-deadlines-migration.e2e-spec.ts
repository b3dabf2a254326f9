// Issue 12, carry-over: the migration that files the open deadlines of a carried recommendation
// under the open cycle it is carried into (they were filed under its closed cycle, where nothing
// could edit, complete or close them).
describe('migration FileCarriedDeadlinesUnderOpenCycle over existing data', () => {
  it('should move only the open deadlines of recommendations carried into an open cycle, and leave every other deadline where it is', async () => {
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { FileCarriedDeadlinesUnderOpenCycle1795963000000 } = await import('../migrations/1795963000000-file-carried-deadlines-under-open-cycle');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(FileCarriedDeadlinesUnderOpenCycle1795963000000)), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      const one = async (sql: string): Promise<number> => {
        const rows = await early.query(`${sql} RETURNING id`);
        return Number((Array.isArray(rows[0]) ? rows[0] : rows)[0].id);
      };
      const coalition = await one(`INSERT INTO coalition (name) VALUES ('Before the move')`);
      const user = await one(`INSERT INTO app_user (coalition_id, email, sign_in_email, name, role, password_hash) VALUES (${coalition}, 'a@example.org', 'a@example.org', 'A', 'admin', 'x')`);
      const cycle = (number: number, state: string) => one(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review, state) VALUES (${coalition}, 'upr', ${number}, 'Chile', '${state}')`);
      const [c1, c2, c3] = [await cycle(1, 'closed'), await cycle(2, 'closed'), await cycle(3, 'open')];
      const rec = (cycleId: number, text: string) => one(`INSERT INTO recommendation (coalition_id, cycle_id, text, text_key) VALUES (${coalition}, ${cycleId}, '${text}', '${text}')`);
      const [carried, superseded, leftBehind, own] = [await rec(c1, 'carried'), await rec(c1, 'superseded'), await rec(c1, 'left behind'), await rec(c3, 'own')];
      const carry = (cycleId: number, recommendationId: number, supersededBy: number | null) => early.query(
        `INSERT INTO carried_recommendation (coalition_id, cycle_id, recommendation_id, from_cycle_id, carried_at, superseded_by_id) VALUES (${coalition}, ${cycleId}, ${recommendationId}, ${cycleId - 1}, '2027-01-01 00:00:00', ${supersededBy})`,
      );
      // carried: into 2 (closed since), then into 3 (open); superseded: into 3 but superseded there.
      await carry(c2, carried, null);
      await carry(c3, carried, null);
      await carry(c3, superseded, own);
      const deadline = (recommendationId: number, cycleId: number, state = 'open', deleted = false) => one(
        `INSERT INTO deadline (coalition_id, recommendation_id, cycle_id, kind, due_date, time_zone, due_at, state, created_by_id, deleted_at)
         VALUES (${coalition}, ${recommendationId}, ${cycleId}, 'other', '2027-06-01', 'UTC', '2027-06-01 23:59:00', '${state}', ${user}, ${deleted ? "'2027-02-01 00:00:00'" : 'NULL'})`,
      );
      const moved = await deadline(carried, c1);
      const done = await deadline(carried, c1, 'done');
      const deleted = await deadline(carried, c1, 'open', true);
      const ofSuperseded = await deadline(superseded, c1);
      const ofLeftBehind = await deadline(leftBehind, c1);
      const ofOwn = await deadline(own, c3);
      await early.destroy();

      const later = new DataSource({ ...options, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const rows: { id: number; cycle_id: number }[] = await later.query(`SELECT id, cycle_id FROM deadline ORDER BY id`);
      await later.destroy();

      expect(rows.map((r) => [Number(r.id), Number(r.cycle_id)])).toEqual([
        [moved, c3], [done, c1], [deleted, c1], [ofSuperseded, c1], [ofLeftBehind, c1], [ofOwn, c3],
      ]);
    } finally {
      await database.drop();
    }
  });
});
