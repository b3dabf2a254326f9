// Issue 12: the migration that ships the canonical States canonicalises the State names already
// stored (recommending States, States under review) that it can map, and keeps the others.
describe('migration AddStates over existing data', () => {
  it('should turn every spelling it knows into the canonical name, merge two spellings on one recommendation, and keep names that are no State', async () => {
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { AddStates1795960100000 } = await import('../migrations/1795960100000-add-states');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(AddStates1795960100000)), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      await early.query(`INSERT INTO coalition (name) VALUES ('Before the States')`);
      const cycles = [['United States', '9'], ['United States of America', '36'], ['Atlantis', '1'], ["Cote d'Ivoire", '19']];
      for (const [state, session] of cycles) {
        await early.query(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review, session) SELECT id, 'upr', 1, '${state.replace(/'/g, "''")}', '${session}' FROM coalition`);
      }
      // 4 + 18 + 2 recommendations with the three spellings of the issue, one with two spellings at once,
      // and UPR Info's placeholder and a made-up name that stay as they are.
      const spellings: [string, number][] = [['Côte d\u2019Ivoire', 4], ["Cote d'Ivoire", 18], ["Côte d'Ivoire", 2]];
      let n = 0;
      const recommendation = async (states: string[]) => {
        n += 1;
        await early.query(`INSERT INTO recommendation (coalition_id, cycle_id, text, text_key) SELECT coalition_id, id, 'Text ${n}', 'key ${n}' FROM review_cycle WHERE session = '9'`);
        for (const [position, state] of states.entries()) {
          await early.query(
            `INSERT INTO recommendation_tag (recommendation_id, kind, value, coalition_id, position) SELECT id, 'recommending_state', $1, coalition_id, ${position} FROM recommendation WHERE text = 'Text ${n}'`.replace('$1', `'${state.replace(/'/g, "''")}'`),
          );
        }
      };
      for (const [spelling, count] of spellings) for (let i = 0; i < count; i += 1) await recommendation([spelling, 'Bolivia (Plurinational S tate of)']);
      await recommendation(["Cote d'Ivoire", 'Côte d\u2019Ivoire', 'Freedonia']);
      await recommendation(['&#40;Unknown&#41;']);
      await early.destroy();

      const later = new DataSource({ ...options, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const tagCounts = await later.query(`SELECT value, COUNT(*) AS n FROM recommendation_tag WHERE kind = 'recommending_state' GROUP BY value ORDER BY value`);
      const merged = await later.query(`SELECT t.value, t.position FROM recommendation_tag t JOIN recommendation r ON r.id = t.recommendation_id WHERE r.text = 'Text 25' ORDER BY t.position`);
      const cycleStates = await later.query(`SELECT state_under_review FROM review_cycle ORDER BY id`);
      const seeded = await later.query(`SELECT (SELECT COUNT(*) FROM state WHERE membership = 'member') AS members, (SELECT COUNT(*) FROM state WHERE membership = 'observer') AS observers`);
      await later.destroy();

      expect(tagCounts.map((r: { value: string; n: unknown }) => [r.value, Number(r.n)])).toEqual([
        ['&#40;Unknown&#41;', 1],
        ['Bolivia (Plurinational State of)', 24],
        ["Côte d'Ivoire", 25],
        ['Freedonia', 1],
      ]);
      // The recommendation that had two spellings keeps one tag of the State (and its other States).
      expect(merged.map((r: { value: string }) => r.value)).toEqual(["Côte d'Ivoire", 'Freedonia']);
      expect(cycleStates.map((r: { state_under_review: string }) => r.state_under_review)).toEqual(['United States of America', 'United States of America', 'Atlantis', "Côte d'Ivoire"]);
      expect(seeded.map((r: { members: unknown; observers: unknown }) => [Number(r.members), Number(r.observers)])).toEqual([[193, 2]]);
    } finally {
      await database.drop();
    }
  });
});
