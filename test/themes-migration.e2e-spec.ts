// Issue 12: the migration that ships the canonical themes, groups and SDGs turns the theme and
// group tags already stored into UHRI codes and group names where it can, and keeps the others.
describe('migration AddThemes over existing data', () => {
  it('should store codes for the themes it knows, add the groups an issue names, merge duplicates and keep unknown values', async () => {
    const { createTestDatabase } = await import('./support/test-database');
    const { loadConfig } = await import('../config/app.config');
    const { buildDataSourceOptions } = await import('../src/database/data-source-options');
    const { MIGRATIONS } = await import('../migrations');
    const { AddThemes1795961000000 } = await import('../migrations/1795961000000-add-themes');
    const { DataSource } = await import('typeorm');
    const database = await createTestDatabase();
    try {
      const options = buildDataSourceOptions(loadConfig(database.env).database, (await import('../src/entities')).ENTITIES);
      const early = new DataSource({ ...options, entities: [], migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(AddThemes1795961000000)), migrationsRun: false });
      await early.initialize();
      await early.runMigrations();
      await early.query(`INSERT INTO coalition (name) VALUES ('Before the themes')`);
      await early.query(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review, session) SELECT id, 'upr', 1, 'Chile', '5' FROM coalition`);
      const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
      const recommendation = async (n: number, themes: string[], groups: string[]) => {
        await early.query(`INSERT INTO recommendation (coalition_id, cycle_id, text, text_key) SELECT coalition_id, id, 'Text ${n}', 'key ${n}' FROM review_cycle`);
        for (const [kind, values] of [['theme', themes], ['affected_person', groups]] as const) {
          for (const [position, value] of values.entries()) {
            await early.query(`INSERT INTO recommendation_tag (recommendation_id, kind, value, coalition_id, position) SELECT id, '${kind}', ${quote(value)}, coalition_id, ${position} FROM recommendation WHERE text = 'Text ${n}'`);
          }
        }
      };
      // UPR Info's issues, OHCHR's coded lines (one under a neighbour's code), two spellings of one
      // theme on one recommendation, a group spelt as the lists spell it, and values nobody listed.
      await recommendation(1, ['Death penalty', "Women's rights"], []);
      await recommendation(2, ['D23 Death penalty', 'Death penalty', 'D8 Rights related to name, identity, nationality'], ['- women']);
      await recommendation(3, ['Freedom of association and peaceful assembly', 'Made-up theme'], ['martians', 'persons deprived of their liberty']);
      await recommendation(4, ['Other', 'D23'], []);
      await early.destroy();

      const later = new DataSource({ ...options, migrationsRun: false });
      await later.initialize();
      await later.runMigrations();
      const tags = await later.query(
        `SELECT r.text, t.kind, t.value FROM recommendation_tag t JOIN recommendation r ON r.id = t.recommendation_id ORDER BY r.text, t.kind, t.value`,
      );
      const seeded = await later.query(`SELECT (SELECT COUNT(*) FROM theme) AS themes, (SELECT COUNT(*) FROM affected_group) AS groups, (SELECT COUNT(*) FROM sdg) AS sdgs`);
      await later.destroy();

      const byText = new Map<string, string[]>();
      for (const row of tags as { text: string; kind: string; value: string }[]) byText.set(row.text, [...(byText.get(row.text) ?? []), `${row.kind}:${row.value}`]);
      expect(Object.fromEntries(byText)).toEqual({
        'Text 1': ['affected_person:Women', 'theme:D23', 'theme:F1'],
        'Text 2': ['affected_person:Women', 'theme:D23', 'theme:D6'],
        'Text 3': ['affected_person:Persons deprived of their liberty', 'affected_person:martians', 'theme:D44', 'theme:D45', 'theme:Made-up theme'],
        'Text 4': ['theme:D23'],
      });
      const { THEMES, AFFECTED_GROUPS, SDG_TARGETS } = await import('../migrations/1795961000000-themes.data');
      expect(seeded.map((r: Record<string, unknown>) => [Number(r.themes), Number(r.groups), Number(r.sdgs)])).toEqual([[THEMES.length, AFFECTED_GROUPS.length, 17 + SDG_TARGETS.length]]);
    } finally {
      await database.drop();
    }
  });
});
