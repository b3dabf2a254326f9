import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app.config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { ENTITIES } from '../src/entities';
import { ReportsRepository } from '../src/reports/reports.repository';
import { statementsWithParametersOf } from './support/statement-log';

/**
 * The report's recurring recommendations start from the cycle's recommendations that have a
 * predecessor: without an index holding predecessor_id with the cycle, SQLite read every
 * recommendation of the cycle from the table to find the few (135-152 ms at 100,000 on every JSON
 * and HTML report). Asked for its plan on the real schema (migration 1795970700000).
 */
describe('the report\'s recurring chains on SQLite', () => {
  let dir: string;
  let dataSource: DataSource;
  let repository: ReportsRepository;
  const statements: { sql: string; parameters: unknown[] }[] = [];
  let found: Awaited<ReturnType<ReportsRepository['findRecurring']>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upr-report-plans-'));
    const options = buildDataSourceOptions(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, DATA_DIR: dir }).database, ENTITIES);
    dataSource = new DataSource(options);
    await dataSource.initialize();
    await dataSource.runMigrations();
    await dataSource.query(`INSERT INTO coalition (name) VALUES ('Plans')`);
    for (const number of [1, 2, 3]) {
      await dataSource.query(`INSERT INTO review_cycle (coalition_id, mechanism, number, state_under_review) SELECT id, 'upr', ${number}, 'Chile' FROM coalition`);
    }
    const add = async (cycle: number, text: string, predecessor: number | null): Promise<number> => {
      const [row] = await dataSource.query(
        `INSERT INTO recommendation (coalition_id, cycle_id, text, text_key, response, status, predecessor_id)
         SELECT c.coalition_id, c.id, ?, ?, 'supported', 'not_assessed', ? FROM review_cycle c WHERE c.number = ? RETURNING id`,
        [text, text.toLowerCase(), predecessor, cycle],
      ) as { id: number }[];
      return row.id;
    };
    // A chain over three cycles, and recommendations of the last cycle without a predecessor.
    const first = await add(1, 'Ratify the convention', null);
    const second = await add(2, 'Ratify the convention (again)', first);
    const third = await add(3, 'Ratify the convention, at last', second);
    for (let i = 0; i < 20; i++) await add(3, `A first recommendation ${i}`, null);
    repository = new ReportsRepository(dataSource);
    const [cycle3] = await dataSource.query(`SELECT id, coalition_id FROM review_cycle WHERE number = 3`) as { id: number; coalition_id: number }[];
    statements.push(...await statementsWithParametersOf(dataSource, async () => {
      found = await repository.findRecurring(cycle3.coalition_id, cycle3.id);
    }));
    expect(found.map((row) => row.id)).toContain(third);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should find the chain back through the earlier cycles', () => {
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ earlierCycles: [2, 1] });
  });

  it('should start the chains from the index of recommendations with a predecessor, not from every recommendation of the cycle', async () => {
    const chain = statements.find((s) => /WITH RECURSIVE chain/.test(s.sql));
    expect(chain).toBeDefined();
    const plan = (await dataSource.query(`EXPLAIN QUERY PLAN ${chain!.sql}`, chain!.parameters) as { detail: string }[]).map((r) => r.detail);
    expect(plan.join(' / ')).toMatch(/SEARCH r USING COVERING INDEX IDX_recommendation_successors \(coalition_id=\? AND cycle_id=\? AND origin=\? AND predecessor_id>\?\)/);
    // Each link read by its id: nothing scans the coalition's recommendations.
    expect(plan.filter((step) => /^SCAN (a|r|p)\b/.test(step))).toEqual([]);
    expect(plan).toContain('SEARCH a USING INTEGER PRIMARY KEY (rowid=?)');
  });
});
