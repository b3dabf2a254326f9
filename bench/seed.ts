import { DataSource, EntityManager } from 'typeorm';
import {
  AFFECTED_PERSONS, CONNECTORS, PHRASES, Random, RESPONSE_WEIGHTS, STATES, STATUS_WEIGHTS, THEMES, WORDS,
} from './vocabulary';

export interface SeedCycle {
  id: number;
  number: number;
}

/** A coalition and its cycles, which its seeded recommendations are spread over. */
export interface SeedCoalition {
  coalitionId: number;
  cycles: SeedCycle[];
}

type Value = string | number | null;

/** Rows per INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const BATCH = 500;
const RECOMMENDATION_COLUMNS = [
  'id', 'coalition_id', 'cycle_id', 'paragraph', 'text', 'response', 'status', 'action_category', 'created_at', 'updated_at',
];
const TAG_COLUMNS = ['recommendation_id', 'coalition_id', 'kind', 'value', 'position'];

/** Loads `size` recommendations of one coalition: see seedCoalitions. */
export function seedRecommendations(
  dataSource: DataSource, coalitionId: number, cycles: SeedCycle[], size: number,
): Promise<{ firstId: number; tagRows: number }> {
  return seedCoalitions(dataSource, [{ coalitionId, cycles }], size);
}

/**
 * Loads `size` recommendations with their tags in one transaction of multi-row INSERTs. Plain SQL
 * rather than the API: 100,000 POSTs would take longer than the benchmark. On SQLite the FTS5
 * triggers index every row as it lands, exactly as they do for rows the API writes (and on
 * PostgreSQL the search document's trigger).
 *
 * With several coalitions, row i belongs to coalitions[i % n]: their rows are interleaved in id
 * order, the unkind case for a listing in id order (one coalition's first page is spread over n
 * times as many rows), as on a hosted service where coalitions add recommendations at the same time.
 * So coalitions[0]'s ids are firstId, firstId + n, firstId + 2n, …
 */
export async function seedCoalitions(
  dataSource: DataSource, coalitions: SeedCoalition[], size: number,
): Promise<{ firstId: number; tagRows: number }> {
  const random = new Random(20261129);
  let tagCount = 0;
  const firstId = await dataSource.transaction(async (manager) => {
    const [{ next }] = await manager.query('SELECT COALESCE(MAX(id), 0) + 1 AS next FROM recommendation');
    const first = Number(next);
    for (let start = 0; start < size; start += BATCH) {
      const recommendations: Value[][] = [];
      const tags: Value[][] = [];
      for (let i = start; i < Math.min(size, start + BATCH); i++) {
        const id = first + i;
        const { coalitionId, cycles } = coalitions[i % coalitions.length];
        recommendations.push(recommendationRow(random, id, coalitionId, random.pick(cycles)));
        tags.push(...tagRows(random, id, coalitionId));
      }
      await insert(manager, 'recommendation', RECOMMENDATION_COLUMNS, recommendations);
      tagCount += tags.length;
      for (let t = 0; t < tags.length; t += BATCH) await insert(manager, 'recommendation_tag', TAG_COLUMNS, tags.slice(t, t + BATCH));
    }
    if (dataSource.options.type === 'postgres') {
      // Explicit ids leave the SERIAL sequence behind; later inserts through the API would collide.
      await manager.query(`SELECT setval(pg_get_serial_sequence('recommendation', 'id'), (SELECT MAX(id) FROM recommendation))`);
    }
    return first;
  });
  if (dataSource.options.type === 'postgres') {
    // Autovacuum would do this within a minute or two of the load (statistics for the planner, the
    // visibility map for index-only scans); do it now so the tables are as in steady state.
    // (SQLite gets no ANALYZE: the application never runs one.)
    await dataSource.query('VACUUM (ANALYZE) recommendation, recommendation_tag, recommendation_search');
  }
  return { firstId, tagRows: tagCount };
}

function recommendationRow(random: Random, id: number, coalitionId: number, cycle: SeedCycle): Value[] {
  const words = Array.from({ length: random.int(3, 9) }, () => random.pick(WORDS)).join(' ');
  const text = `${random.pick(PHRASES)}, ${random.pick(CONNECTORS)} ${words}`;
  // UPR cycle n began about 2008 + 4.5 (n - 1); spread the rows over its first four years.
  const createdAt = new Date(Date.UTC(2008 + Math.round(4.5 * (cycle.number - 1)), 0, 1) + random.int(0, 4 * 365) * 86_400_000);
  const at = createdAt.toISOString().replace('T', ' ').replace('Z', '');
  return [
    id, coalitionId, cycle.id, `${random.int(100, 160)}.${random.int(1, 300)}`, text,
    random.weighted(RESPONSE_WEIGHTS), random.weighted(STATUS_WEIGHTS), random.next() < 0.1 ? null : random.int(1, 5), at, at,
  ];
}

function tagRows(random: Random, id: number, coalitionId: number): Value[][] {
  const rows: Value[][] = [];
  const add = (kind: string, values: string[]) => values.forEach((value, position) => rows.push([id, coalitionId, kind, value, position]));
  add('recommending_state', random.sample(STATES, random.int(1, 3)));
  add('theme', random.sample(THEMES, random.int(1, 3)));
  add('affected_person', random.sample(AFFECTED_PERSONS, random.int(0, 2)));
  add('sdg', random.sample([...Array(17).keys()].map((n) => String(n + 1)), random.int(0, 2)));
  return rows;
}

async function insert(manager: EntityManager, table: string, columns: string[], rows: Value[][]): Promise<void> {
  if (rows.length === 0) return;
  const postgres = manager.connection.options.type === 'postgres';
  let n = 0;
  const tuples = rows.map((row) => `(${row.map(() => (postgres ? `$${++n}` : '?')).join(', ')})`);
  const names = columns.map((c) => `"${c}"`).join(', ');
  await manager.query(`INSERT INTO "${table}" (${names}) VALUES ${tuples.join(', ')}`, rows.flat());
}
