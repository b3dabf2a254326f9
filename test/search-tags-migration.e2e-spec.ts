// Issue 14: the migration that puts the recommendations' tags beside their search documents
// (PostgreSQL) makes recommendation_search anew with the tags of the rows already stored; the
// triggers made before it must write to the new table, and its down migration must leave the
// documents kept as before.
describe('migration AddRecommendationSearchTags over existing data', () => {
  it('should fill the tags of the stored recommendations, keep them afterwards, and undo cleanly', async () => {
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { AddRecommendationSearchTags1795970200000 } = await import('../migrations/1795970200000-add-recommendation-search-tags');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    if (database.kind !== 'postgres') {
      // SQLite: the migration does nothing (FTS5 searches the text; tag filters stay as they are).
      await database.drop();
      return expect(database.kind).toBe('sqlite');
    }
    try {
      const dataSourceOptions = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const early = new DataSource({ ...dataSourceOptions, entities: [], migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(AddRecommendationSearchTags1795970200000)), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      await early.query(`INSERT INTO coalition (name) VALUES ('Before the tags')`);
      await early.query(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review, session) SELECT id, 'upr', 1, 'Chile', '5' FROM coalition`);
      await early.query(
        `INSERT INTO recommendation (coalition_id, cycle_id, text, text_key)
         SELECT coalition_id, id, t.text, t.text FROM review_cycle, (VALUES ('Prohibit torture in prisons'), ('Abolish the death penalty'), ('Ratify the torture convention')) t(text)`,
      );
      await early.query(
        `INSERT INTO recommendation_tag (recommendation_id, coalition_id, kind, value, position)
         SELECT r.id, r.coalition_id, t.kind, t.value, t.position FROM recommendation r JOIN (VALUES
           ('Prohibit torture in prisons', 'theme', 'D25', 0), ('Prohibit torture in prisons', 'recommending_state', 'Côte d''Ivoire', 0),
           ('Abolish the death penalty', 'theme', 'D23', 0), ('Abolish the death penalty', 'sdg', '16', 0)
         ) t(text, kind, value, position) ON t.text = r.text`,
      );
      await early.destroy();

      // Up to this migration and no further, so that undoLastMigration below undoes this one (later migrations exist).
      const later = new DataSource({ ...dataSourceOptions, migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(AddRecommendationSearchTags1795970200000) + 1), migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const tagsOf = async () => Object.fromEntries(
        (await later.query(`SELECT r.text, s.tags::text AS tags FROM recommendation_search s JOIN recommendation r ON r.id = s.recommendation_id ORDER BY r.text`) as { text: string; tags: string }[])
          .map((row) => [row.text, row.tags]),
      );
      expect(await tagsOf()).toEqual({
        'Abolish the death penalty': "'sdg 16' 'theme D23'",
        'Prohibit torture in prisons': "'recommending_state Côte d''Ivoire' 'theme D25'",
        'Ratify the torture convention': '',
      });
      const options = async () => (await later.query(`SELECT reloptions FROM pg_class WHERE oid = 'recommendation_search'::regclass`))[0].reloptions;
      expect(await options()).toEqual(['parallel_workers=0']);
      // The new table is the one the document and tag triggers write to, with its key and cascade.
      await later.query(
        `INSERT INTO recommendation (coalition_id, cycle_id, text, text_key) SELECT coalition_id, id, 'Investigate torture allegations', 'new' FROM review_cycle`,
      );
      await later.query(`INSERT INTO recommendation_tag (recommendation_id, coalition_id, kind, value, position) SELECT id, coalition_id, 'theme', 'D25', 0 FROM recommendation WHERE text_key = 'new'`);
      const [{ n: matches }] = await later.query(
        `SELECT COUNT(*) AS n FROM recommendation_search WHERE document @@ to_tsquery('english', 'torture') AND tags @@ '''theme D25'''::tsquery`,
      );
      expect(Number(matches)).toBe(2);
      await later.query(`DELETE FROM recommendation WHERE text = 'Abolish the death penalty'`);
      const [{ n: documents }] = await later.query(`SELECT COUNT(*) AS n FROM recommendation_search`);
      expect(Number(documents)).toBe(3);

      await later.undoLastMigration();
      const columns = await later.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'recommendation_search' ORDER BY column_name`);
      expect(columns.map((c: { column_name: string }) => c.column_name)).toEqual(['coalition_id', 'document', 'recommendation_id']);
      expect(await options()).toBeNull();
      await later.query(`INSERT INTO recommendation (coalition_id, cycle_id, text, text_key) SELECT coalition_id, id, 'Train the police', 'after' FROM review_cycle`);
      await later.query(`INSERT INTO recommendation_tag (recommendation_id, coalition_id, kind, value, position) SELECT id, coalition_id, 'theme', 'D25', 0 FROM recommendation WHERE text_key = 'after'`);
      const [{ n: after }] = await later.query(`SELECT COUNT(*) AS n FROM recommendation_search WHERE document @@ to_tsquery('english', 'police')`);
      expect(Number(after)).toBe(1);
      await later.destroy();
    } finally {
      await database.drop();
    }
  });
});
