/**
 * The SQL of the report's list, one chunk of the cycle's recommendations (ids from :from to before
 * :to) per statement, with the named parameters :coalition, :cycle, :from, :to (and :zone on
 * PostgreSQL), bound by bindNamed.
 *
 * SQLite: each row asks its tags, codes, labels, last status change and evidence count in correlated
 * subqueries, each an index search (the JSON rows take all their tag lists from one pass over the row's tags). (Grouping a chunk's tags, changes and evidence in one statement
 * per table and joining the groups by id was measured too, on a quiet machine: 20% more CPU.)
 * PostgreSQL: one lateral pass over each row's tags.
 */
import { type TagKind } from '../vocabulary/recommendation.vocabulary';

/** One line of the CSV and XLSX list, cell by cell, in the order of LIST_CELLS. */
export interface ListCells {
  id: number;
  paragraph: string | null;
  text: string;
  recommending_states: string | null;
  response: string;
  kind: string;
  status: string;
  themes: string | null;
  affected_persons: string | null;
  sdgs: string | null;
  action_category: number | null;
  evidence_count: number;
  predecessor_id: number | null;
  last_status_note: string | null;
  last_status_changed_at: string | null;
  /** The alpha-3 codes of the recommending States, in their order ("" for a name that is no State). */
  recommending_state_codes: string | null;
  /** Set by ReportsService: the cycle's State under review and its code, on every row. */
  state_under_review?: string;
  state_under_review_code?: string | null;
}

/** The columns of the CSV export and of the XLSX list sheet, in order. */
export const LIST_CELLS: (keyof ListCells)[] = [
  'id', 'paragraph', 'text', 'recommending_states', 'response', 'kind', 'status', 'themes', 'affected_persons', 'sdgs', 'action_category',
  'evidence_count', 'predecessor_id', 'last_status_note', 'last_status_changed_at',
  // Added with issue 12, after the columns readers already had, so that none of theirs moves.
  'recommending_state_codes', 'state_under_review', 'state_under_review_code',
];


/** A stored theme code as reports show it, "D23 Death penalty" (issue 12), from the shipped `theme` table; the value as written when it is no code. */
export function themeLabelSql(value: string): string {
  return `COALESCE((SELECT th.code || ' ' || th.name FROM theme th WHERE th.code = ${value}), ${value})`;
}

/** The chunk's recommendations, through the (coalition_id, cycle_id, id) index. */
const CHUNK_WHERE = `r.coalition_id = :coalition AND r.cycle_id = :cycle AND r.origin = 'received' AND r.id >= :from AND r.id < :to`;

/** SQLite: a recommendation's tags of one kind in their given order, to aggregate (read straight from IDX_recommendation_tag_order). */
function sqliteTagsInOrder(kind: TagKind): string {
  return `SELECT ${kind === 'theme' ? `${themeLabelSql('t.value')} AS value` : 't.value'} FROM recommendation_tag t WHERE t.recommendation_id = r.id AND t.kind = '${kind}' ORDER BY t.position`;
}

/** SQLite: the alpha-3 code of a canonical State name (state.name_en is unique, so this is an index lookup), or NULL. */
function sqliteStateCode(name: string): string {
  return `(SELECT st.code FROM state st WHERE st.name_en = ${name})`;
}

/** SQLite: CAST reads the leading digits of an SDG tag ("16.a" is 16). */
function sqliteSdgGoal(column: string): string {
  return `CAST(${column} AS INTEGER)`;
}

const SQLITE_CHANGED_AT = `strftime('%Y-%m-%dT%H:%M:%fZ', s.created_at)`;

/** SQLite: the chunk with the last status change of each recommendation. */
const SQLITE_FROM = `FROM recommendation r
    LEFT JOIN status_change s ON s.id = (SELECT MAX(s2.id) FROM status_change s2 WHERE s2.recommendation_id = r.id)
  WHERE ${CHUNK_WHERE}
  ORDER BY r.id`;

const SQLITE_EVIDENCE_COUNT = `(SELECT COUNT(*) FROM evidence e WHERE e.recommendation_id = r.id AND e.removed_at IS NULL)`;

/**
 * SQLite: a recommendation's tags, read once in index order (IDX_recommendation_tag_order: kind, then
 * position), as `t` (kind, value) for the aggregates of sqliteListJson: each aggregate
 * takes its kind's values by FILTER, in the order read. One pass where a subquery per list read the
 * recommending States twice and each kind apart: at 100,000 recommendations the JSON list's SQL took
 * 0.9 s of CPU instead of 1.2 s (an ORDER BY inside each aggregate sorted each list again: 1.1 s). The CSV
 * keeps a subquery per cell: made in this one pass, its lines cost more (1.6 s against 1.2 s), each cell's CSV rule
 * naming its value several times.
 */
const SQLITE_TAGS_OF_ROW = `(SELECT t.kind, t.value FROM recommendation_tag t WHERE t.recommendation_id = r.id ORDER BY t.kind, t.position) t`;

/** SQLite: a list of one kind's values, as JSON, in position order (aggregated over SQLITE_TAGS_OF_ROW). */
function sqliteJsonList(kind: TagKind, value = 't.value'): string {
  return `json_group_array(${value}) FILTER (WHERE t.kind = '${kind}')`;
}

/**
 * SQLite: each row of the chunk as the JSON text of a ReportRecommendation, written key by key (same
 * keys, same order, same text as json_object gave: json_quote is its quoting, an empty list is []), so
 * that one aggregate pass over the row's tags can give all its lists, with the keys between them.
 */
export function sqliteListJson(): string {
  const key = (name: string, value: string) => `',"${name}":' || ${value}`;
  const quoted = (name: string, value: string) => key(name, `json_quote(${value})`);
  const sdgGoal = sqliteSdgGoal('t.value');
  const tags = [
    key('recommendingStates', sqliteJsonList('recommending_state')),
    key('recommendingStateCodes', sqliteJsonList('recommending_state', sqliteStateCode('t.value'))),
    quoted('response', 'r.response'), quoted('kind', 'r.kind'), quoted('status', 'r.status'),
    key('themes', sqliteJsonList('theme', themeLabelSql('t.value'))),
    key('affectedPersons', sqliteJsonList('affected_person')),
    // The goals of goals and targets, once each, by number (a target counts under its goal); then the targets.
    key('sdgs', `json_group_array(DISTINCT ${sdgGoal} ORDER BY ${sdgGoal}) FILTER (WHERE t.kind = 'sdg')`),
    key('sdgTargets', `json_group_array(t.value) FILTER (WHERE t.kind = 'sdg' AND t.value LIKE '%.%')`),
  ];
  return `SELECT '{"id":' || r.id || ${quoted('paragraph', 'r.paragraph')} || ${quoted('text', 'r.text')}
      || (SELECT ${tags.join('\n        || ')} FROM ${SQLITE_TAGS_OF_ROW})
      || ${quoted('actionCategory', 'r.action_category')} || ${quoted('predecessorId', 'r.predecessor_id')} || ${key('evidenceCount', SQLITE_EVIDENCE_COUNT)}
      || ${quoted('lastStatusNote', 's.note')} || ${quoted('lastStatusChangedAt', SQLITE_CHANGED_AT)} || '}' AS row
  ${SQLITE_FROM}`;
}

/** SQLite: where each cell of a list row comes from; several values in one cell are joined with "; ". */
function sqliteCellSources(): CellSources {
  const joined = (kind: TagKind) => kind === 'sdg'
    ? `(SELECT group_concat(t.value, '; ' ORDER BY ${sqliteSdgGoal('t.value')}, t.position) FROM recommendation_tag t WHERE t.recommendation_id = r.id AND t.kind = 'sdg')`
    : `(SELECT group_concat(value, '; ') FROM (${sqliteTagsInOrder(kind)}))`;
  return {
    id: 'r.id', paragraph: 'r.paragraph', text: 'r.text', recommending_states: joined('recommending_state'), response: 'r.response', kind: 'r.kind',
    status: 'r.status', themes: joined('theme'), affected_persons: joined('affected_person'), sdgs: joined('sdg'), action_category: 'r.action_category',
    evidence_count: SQLITE_EVIDENCE_COUNT, predecessor_id: 'r.predecessor_id', last_status_note: 's.note', last_status_changed_at: SQLITE_CHANGED_AT,
    recommending_state_codes: `(SELECT group_concat(COALESCE(${sqliteStateCode('v.value')}, ''), '; ') FROM (${sqliteTagsInOrder('recommending_state')}) v)`,
  };
}

/** SQLite: the chunk as spreadsheet cells (ListCells: the XLSX list). */
export function sqliteListCells(): string {
  return `SELECT ${Object.entries(sqliteCellSources()).map(([key, value]) => `${value} AS ${key}`).join(', ')}
  ${SQLITE_FROM}`;
}

/**
 * SQLite: the chunk as CSV lines, written by the database (a JavaScript loop over the cells was a
 * third of the export's cost). The cells are made once, in a materialized subquery: each cell's
 * CSV rule names its value several times, and inlined, each name would run its subquery again.
 */
export function sqliteListCsv(): string {
  const cells = Object.fromEntries(OWN_CELLS.map((key) => [key, `c.${key}`])) as CellSources;
  return `WITH c AS MATERIALIZED (${sqliteListCells()})
  SELECT ${csvLine(cells, false)} AS line FROM c ORDER BY c.id`;
}

/**
 * A CSV field of a text value, as csvField writes it (report-csv.ts; the same rule, here so that the
 * database writes each line): empty for NULL; made spreadsheet-safe (a leading apostrophe before
 * = + - @ tab CR); quoted, with quotes doubled, when it holds a quote, comma or line break.
 */
function csvTextSql(value: string, postgres: boolean): string {
  const first = postgres ? `ascii(${value})` : `unicode(${value})`;
  const has = (needle: string) => (postgres ? `strpos(${value}, ${needle}) > 0` : `instr(${value}, ${needle}) > 0`);
  const [cr, lf] = postgres ? ['chr(13)', 'chr(10)'] : ['char(13)', 'char(10)'];
  const safe = `CASE WHEN ${first} IN (61, 43, 45, 64, 9, 13) THEN '''' || ${value} ELSE ${value} END`;
  return `CASE WHEN ${value} IS NULL THEN ''
    WHEN ${has(`'"'`)} OR ${has(`','`)} OR ${has(cr)} OR ${has(lf)} THEN '"' || replace(${safe}, '"', '""') || '"'
    ELSE ${safe} END`;
}

/** A CSV field of a number. */
function csvNumberSql(value: string): string {
  return `COALESCE(CAST(${value} AS text), '')`;
}


/** The cells that hold numbers: written as they are, never made spreadsheet-safe (a number is no formula). */
const NUMBER_CELLS = new Set<keyof ListCells>(['id', 'action_category', 'evidence_count', 'predecessor_id']);

/**
 * The cells whose values come from the application's own vocabularies (response, kind, status, an ISO
 * time, alpha-3 codes joined with "; "): none holds a quote, comma or line break, none starts with a
 * formula character, so csvField leaves them as they are, and so does the database (the checks of
 * csvTextSql cost about 50 ms per cell at 100,000 rows).
 */
const VOCABULARY_CELLS = new Set<keyof ListCells>(['response', 'kind', 'status', 'last_status_changed_at', 'recommending_state_codes']);

/** The cells as one CSV line (without its line break), in LIST_CELLS' order up to the State under review, which the caller adds. */
function csvLine(cells: CellSources, postgres: boolean): string {
  const field = (key: OwnCell) => {
    if (NUMBER_CELLS.has(key)) return csvNumberSql(cells[key]);
    return VOCABULARY_CELLS.has(key) ? `COALESCE(${cells[key]}, '')` : csvTextSql(cells[key], postgres);
  };
  return `concat(${OWN_CELLS.map(field).join(`, ',', `)})`;
}

/** The cells a list statement gives: all but the State under review, the same on every line, which the writers add. */
type OwnCell = Exclude<keyof ListCells, 'state_under_review' | 'state_under_review_code'>;
type CellSources = Record<OwnCell, string>;
const OWN_CELLS = LIST_CELLS.filter((key): key is OwnCell => key !== 'state_under_review' && key !== 'state_under_review_code');

/** PostgreSQL: a timestamp (this process's local wall time, :zone) as UTC ISO text, like Date.toISOString(). */
function postgresIso(column: string): string {
  return `to_char((${column} AT TIME ZONE :zone) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * The goal of a stored SDG tag, "5" or a target "5.1" / "16.a" (issue 12): the digits before the dot.
 * A cast of the whole value would fail on PostgreSQL for a target; NULL for a value with no number.
 */
const POSTGRES_SDG_GOAL = `CAST(substring(t.value from '^[0-9]+') AS integer)`;

/**
 * PostgreSQL: one pass over a recommendation's tags gives all four lists (a subquery per kind cost
 * PostgreSQL a quarter more); json_agg for the JSON rows, string_agg for the spreadsheet cells.
 * PostgreSQL runs two chunks at once on two cores (ReportsRepository.chunks), so it keeps this form.
 */
function postgresTagsJoin(aggregate: 'json_agg' | 'string_agg'): string {
  const list = (kind: TagKind) => {
    // The JSON's sdgs are the goals of goals and targets, once each (a target counts under its goal),
    // its sdgTargets the targets; the cell lists both by goal.
    if (kind === 'sdg' && aggregate === 'json_agg') {
      return `json_agg(DISTINCT ${POSTGRES_SDG_GOAL} ORDER BY ${POSTGRES_SDG_GOAL}) FILTER (WHERE t.kind = 'sdg') AS sdgs, ` +
        `json_agg(t.value ORDER BY t.position) FILTER (WHERE t.kind = 'sdg' AND t.value LIKE '%.%') AS sdg_targets`;
    }
    const value = kind === 'theme' ? themeLabelSql('t.value') : 't.value';
    const order = kind === 'sdg' ? `${POSTGRES_SDG_GOAL}, t.position` : 't.position';
    return `${aggregate}(${value}${aggregate === 'string_agg' ? ", '; '" : ''} ORDER BY ${order}) FILTER (WHERE t.kind = '${kind}') AS ${kind}s`;
  };
  // The recommending States' codes come from the same pass: the canonical name is state.name_en (unique, indexed).
  const codes = aggregate === 'json_agg'
    ? "json_agg(st.code ORDER BY t.position) FILTER (WHERE t.kind = 'recommending_state') AS recommending_state_codes"
    : "string_agg(COALESCE(st.code, ''), '; ' ORDER BY t.position) FILTER (WHERE t.kind = 'recommending_state') AS recommending_state_codes";
  const kinds: TagKind[] = ['recommending_state', 'theme', 'affected_person', 'sdg'];
  return `LEFT JOIN LATERAL (SELECT ${kinds.map(list).join(', ')}, ${codes} FROM recommendation_tag t
      LEFT JOIN state st ON t.kind = 'recommending_state' AND st.name_en = t.value WHERE t.recommendation_id = r.id) g ON true`;
}

/** PostgreSQL: the chunk with the last status change of each recommendation. */
function postgresFrom(join: string): string {
  return `FROM recommendation r ${join}
    LEFT JOIN status_change s ON s.id = (SELECT MAX(s2.id) FROM status_change s2 WHERE s2.recommendation_id = r.id)
  WHERE ${CHUNK_WHERE}
  ORDER BY r.id`;
}

const POSTGRES_EVIDENCE_COUNT = `CAST((SELECT COUNT(*) FROM evidence e WHERE e.recommendation_id = r.id AND e.removed_at IS NULL) AS integer)`;

export function postgresListJson(): string {
  return `SELECT json_build_object(
      'id', r.id, 'paragraph', r.paragraph, 'text', r.text, 'recommendingStates', COALESCE(g.recommending_states, '[]'),
      'recommendingStateCodes', COALESCE(g.recommending_state_codes, '[]'),
      'response', r.response, 'kind', r.kind, 'status', r.status, 'themes', COALESCE(g.themes, '[]'), 'affectedPersons', COALESCE(g.affected_persons, '[]'),
      'sdgs', COALESCE(g.sdgs, '[]'), 'sdgTargets', COALESCE(g.sdg_targets, '[]'), 'actionCategory', r.action_category, 'predecessorId', r.predecessor_id,
      'evidenceCount', ${POSTGRES_EVIDENCE_COUNT},
      'lastStatusNote', s.note, 'lastStatusChangedAt', ${postgresIso('s.created_at')})::text AS row
  ${postgresFrom(postgresTagsJoin('json_agg'))}`;
}

const POSTGRES_CELL_SOURCES: Omit<CellSources, 'last_status_changed_at'> = {
  id: 'r.id', paragraph: 'r.paragraph', text: 'r.text', recommending_states: 'g.recommending_states', response: 'r.response', kind: 'r.kind', status: 'r.status',
  themes: 'g.themes', affected_persons: 'g.affected_persons', sdgs: 'g.sdgs', action_category: 'r.action_category', evidence_count: POSTGRES_EVIDENCE_COUNT,
  predecessor_id: 'r.predecessor_id', last_status_note: 's.note', recommending_state_codes: 'g.recommending_state_codes',
};

export function postgresListCells(): string {
  const c = POSTGRES_CELL_SOURCES;
  return `SELECT r.id, r.paragraph, r.text, ${c.recommending_states} AS recommending_states, r.response, r.kind, r.status, ${c.themes} AS themes,
      ${c.affected_persons} AS affected_persons, ${c.sdgs} AS sdgs, r.action_category, ${c.evidence_count} AS evidence_count, r.predecessor_id,
      s.note AS last_status_note, ${postgresIso('s.created_at')} AS last_status_changed_at, ${c.recommending_state_codes} AS recommending_state_codes
  ${postgresFrom(postgresTagsJoin('string_agg'))}`;
}

export function postgresListCsv(): string {
  return `SELECT ${csvLine({ ...POSTGRES_CELL_SOURCES, last_status_changed_at: postgresIso('s.created_at') }, true)} AS line
  ${postgresFrom(postgresTagsJoin('string_agg'))}`;
}
