import { API_PREFIX } from '../src/app.setup';
import { listingSql, RecommendationFilters } from '../src/recommendations/recommendations.repository';

export interface Filters {
  cycleId?: number;
  theme?: string;
  recommendingState?: string;
  status?: string;
  q?: string;
}

/** A listing with its filters ({} for none), or, without filters, one recommendation by a random id. */
export interface Scenario {
  label: string;
  filters?: Filters;
}

export type Dialect = 'sqlite' | 'postgres';

type Param = string | number | typeof RANDOM_ID;

/** Stands for "a random recommendation id", drawn afresh for every execution. */
export const RANDOM_ID = Symbol('random id');

export interface Statement {
  sql: string;
  params: Param[];
  /** 'all' for a page of rows, 'get' for a single row. */
  mode: 'all' | 'get';
}

export const PAGE_SIZE = 50;
const TORTURE_THEME = 'D25 Prohibition of torture and cruel treatment';

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
  ];
}

function query(filters: Filters): string {
  const params = new URLSearchParams(filters as Record<string, string>).toString();
  return params ? `?${params}` : '';
}

/** The request path; `id` is a random recommendation id, used by the /:id scenario. */
export function httpPath(scenario: Scenario, id: number): string {
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
  const { page, count } = listingSql(dialect, { coalitionId, ...f } as RecommendationFilters, 0, PAGE_SIZE);
  return [{ ...page, mode: 'all' }, { ...count, mode: 'get' }];
}
