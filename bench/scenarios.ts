import { API_PREFIX } from '../src/app.setup';
import { listingSql, RecommendationFilters } from '../src/recommendations/recommendations.repository';

export interface Filters {
  cycleId?: number;
  theme?: string;
  recommendingState?: string;
  status?: string;
  q?: string;
}

/**
 * A listing with its filters ({} for none); without filters, one recommendation by a random id; or,
 * with `write`, a status change (POST /recommendations/:id/status) taken from the status walk.
 */
export interface Scenario {
  label: string;
  filters?: Filters;
  write?: 'status';
}

export type Dialect = 'sqlite' | 'postgres';

/** A value, or a slot (a symbol) filled afresh for every execution: see measureCeiling. */
type Param = string | number | boolean | null | symbol;

/** Stands for "a random recommendation id", drawn afresh for every execution. */
export const RANDOM_ID = Symbol('random id');

/** The slots of a status change: which recommendation, from and to what, when, and the outbox key. */
export const CHANGE = {
  id: Symbol('recommendation id'),
  from: Symbol('from status'),
  to: Symbol('to status'),
  at: Symbol('time'),
  key: Symbol('notification key'),
} as const;

export interface Statement {
  sql: string;
  params: Param[];
  /** 'all' for a page of rows, 'get' for a single row, 'run' for a write. */
  mode: 'all' | 'get' | 'run';
}

export const PAGE_SIZE = 50;
const TORTURE_THEME = 'D25';

/**
 * What people do most: the first page, one cycle, one theme, one State's recommendations by status,
 * text search; and a combination of filters, which once made SQLite probe every pair of ids.
 */
export function buildScenarios(cycleIds: number[]): Scenario[] {
  const cycleId = cycleIds[Math.floor(cycleIds.length / 2)];
  const list = (filters: Filters): Scenario => ({ label: query(filters) || ' (no filter)', filters });
  return [
    list({}),
    list({ cycleId }),
    list({ theme: TORTURE_THEME }),
    list({ recommendingState: 'Iran (Islamic Republic of)', status: 'in_progress' }),
    list({ q: 'torture' }),
    list({ q: 'death penalty' }),
    list({ status: 'in_progress', theme: TORTURE_THEME, q: 'torture' }),
    { label: '/:id (random id)' },
    // Last: its writes grow the history and the outbox, which the reads above should not see.
    { label: '/:id/status (status change)', write: 'status' },
  ];
}

function query(filters: Filters): string {
  const params = new URLSearchParams(filters as Record<string, string>).toString();
  return params ? `?${params}` : '';
}

/** The request path; `id` is a random recommendation id (/:id) or the one whose status changes. */
export function httpPath(scenario: Scenario, id: number): string {
  if (scenario.write === 'status') return `/${API_PREFIX}/recommendations/${id}/status`;
  if (!scenario.filters) return `/${API_PREFIX}/recommendations/${id}`;
  return `/${API_PREFIX}/recommendations${query(scenario.filters)}`;
}

const RECOMMENDATION_COLUMNS = [
  'id', 'coalition_id', 'cycle_id', 'paragraph', 'text', 'text_key', 'response', 'status', 'action_category', 'predecessor_id', 'created_at',
  'updated_at',
];

/**
 * The SQL the application sends for a scenario, with every value bound so that one prepared
 * statement serves every iteration. For a listing: the page and the count, exactly as
 * RecommendationsRepository writes them (listingSql; the application skips the count when the
 * page is not full, which no listing here is at 100,000 rows). For /:id: the row, as TypeORM
 * writes it (findOneBy), and its tags. Left out, being small next to these: the token lookup, the
 * page's owners, the detail's history and follower queries.
 */
export function scenarioStatements(scenario: Scenario, dialect: Dialect, coalitionId: number): Statement[] {
  const f = scenario.filters;
  if (!f) {
    const p = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
    const columns = RECOMMENDATION_COLUMNS.map((c) => `"Recommendation"."${c}" AS "Recommendation_${c}"`).join(', ');
    const row = `SELECT ${columns} FROM "recommendation" "Recommendation" WHERE (("Recommendation"."id" = ${p(1)}) AND ("Recommendation"."coalition_id" = ${p(2)})) LIMIT 1`;
    const tags = `SELECT t.recommendation_id AS id, t.kind, t.value FROM recommendation_tag t WHERE t.recommendation_id IN (${p(1)}) ORDER BY t.recommendation_id, t.kind, t.position`;
    return [{ sql: row, params: [RANDOM_ID, coalitionId], mode: 'get' }, { sql: tags, params: [RANDOM_ID], mode: 'all' }];
  }
  const { page, count } = listingSql(dialect, { coalitionId, ...f, theme: f.theme === undefined ? undefined : [f.theme] } as RecommendationFilters, 0, PAGE_SIZE);
  return [{ ...page, mode: 'all' }, { ...count, mode: 'get' }];
}

/**
 * The writes of one status change, as bare prepared statements in one transaction: the status
 * (only if unchanged, as the application does), the history entry, and one outbox row for the one
 * follower. What the application does besides (reading the recommendation, its cycle, owners and
 * followers, answering with the detail) is what the HTTP figure adds.
 */
export function statusChangeStatements(
  dialect: Dialect, people: { coalitionId: number; userId: number; followerId: number },
): Statement[] {
  const p = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
  const values = (count: number) => Array.from({ length: count }, (_, i) => p(i + 1)).join(', ');
  const payload = JSON.stringify({
    recommendation: { id: 0, paragraph: '120.1', excerpt: 'Ratify the Optional Protocol to the Convention against Torture' },
    cycle: { id: 1, label: 'Kenya, UPR cycle 3' }, changedBy: 'Benchmark admin', from: 'not_started', to: 'in_progress',
    note: 'Benchmark', evidenceCount: 0, evidenceTitles: [], at: new Date(0).toISOString(),
  });
  return [
    { sql: 'BEGIN', params: [], mode: 'run' },
    {
      sql: `UPDATE recommendation SET status = ${p(1)}, updated_at = ${p(2)} WHERE id = ${p(3)} AND status = ${p(4)}`,
      params: [CHANGE.to, CHANGE.at, CHANGE.id, CHANGE.from], mode: 'run',
    },
    {
      sql: `INSERT INTO status_change (recommendation_id, changed_by_id, from_status, to_status, note, created_at) VALUES (${values(6)})`,
      params: [CHANGE.id, people.userId, CHANGE.from, CHANGE.to, 'Benchmark', CHANGE.at], mode: 'run',
    },
    {
      sql: 'INSERT INTO notification (key, coalition_id, recipient_id, kind, due_at, state, recommendation_id, critical, payload, created_at) ' +
        `VALUES (${values(10)})`,
      params: [CHANGE.key, people.coalitionId, people.followerId, 'status_change', CHANGE.at, 'pending', CHANGE.id, dialect === 'postgres' ? false : 0,
        payload, CHANGE.at],
      mode: 'run',
    },
    { sql: 'COMMIT', params: [], mode: 'run' },
  ];
}
