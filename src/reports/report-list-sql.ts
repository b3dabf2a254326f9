/**
 * The SQL of the report's list, one chunk of the cycle's recommendations (ids from :from to before
 * :to) per statement, with the named parameters :coalition, :cycle, :from, :to (and :zone on
 * PostgreSQL), bound by bindNamed.
 *
 * SQLite: the chunk's tags, status changes and evidence items are each grouped per recommendation
 * in one statement (a walk of the chunk's ids, and one index search per recommendation and table),
 * and the recommendations then meet their groups by id. Asking per list instead (a correlated
 * subquery per list, eight per row, each with its own aggregate) cost twice as much at 100,000
 * recommendations. Scanning the tags by id range instead of per recommendation cost as little, but
 * read the tags of every other cycle's recommendation whose id fell between the chunk's: 30 times
 * as much for a cycle written interleaved with another.
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

/**
 * SQLite: the chunk's tags, one row per recommendation, each kind's values in their given order.
 * The rows come from IDX_recommendation_tag_order in (recommendation_id, kind, position) order and
 * reach each group's aggregate in that order (no sorter: the GROUP BY follows the walk of the
 * chunk's ids); an ORDER BY inside each aggregate would open a sorter per recommendation. Theme
 * labels and State codes are looked up in the shipped, read-only `theme` and `state` tables inside
 * the FILTERed aggregates, so only for tags of their kind (a LEFT JOIN searched both tables for every
 * tag: a third more for the whole statement).
 */
function sqliteTagGroups(aggregate: (values: string) => string, codeOf: (code: string) => string, extra = ''): string {
  return `tags AS (SELECT r.id,${extra}
      ${aggregate('t.value')} FILTER (WHERE t.kind = 'recommending_state') AS states,
      ${aggregate(codeOf('(SELECT st.code FROM state st WHERE st.name_en = t.value)'))} FILTER (WHERE t.kind = 'recommending_state') AS codes,
      ${aggregate(themeLabelSql('t.value'))} FILTER (WHERE t.kind = 'theme') AS themes,
      ${aggregate('t.value')} FILTER (WHERE t.kind = 'affected_person') AS persons
    FROM recommendation r CROSS JOIN recommendation_tag t INDEXED BY IDX_recommendation_tag_order
    WHERE ${CHUNK_WHERE} AND t.recommendation_id = r.id
    GROUP BY r.id)`;
}

/** SQLite: the last status change and the evidence count of each recommendation of the chunk (evidence is counted: nothing of it is read). */
const SQLITE_HISTORY = `last_change AS (SELECT r.id, MAX(s.id) AS change_id FROM recommendation r CROSS JOIN status_change s
      WHERE ${CHUNK_WHERE} AND s.recommendation_id = r.id GROUP BY r.id),
    evidence_count AS (SELECT r.id, COUNT(*) AS n FROM recommendation r CROSS JOIN evidence e
      WHERE ${CHUNK_WHERE} AND e.recommendation_id = r.id AND e.removed_at IS NULL GROUP BY r.id)`;

const SQLITE_FROM = `FROM recommendation r
    LEFT JOIN tags g ON g.id = r.id LEFT JOIN sdg_tags d ON d.id = r.id
    LEFT JOIN last_change lc ON lc.id = r.id LEFT JOIN status_change s ON s.id = lc.change_id
    LEFT JOIN evidence_count ec ON ec.id = r.id
  WHERE ${CHUNK_WHERE}
  ORDER BY r.id`;

/**
 * SQLite: a JSON object written as text, key by key, each value already JSON text: the keys are
 * constants, and json_quote escapes each text as json_object would (without json_object's parse of
 * the arrays the groups already hold as JSON). One concat(): a chain of || copies the growing row
 * once per piece.
 */
function jsonObjectText(entries: [string, string][]): string {
  return `concat(${entries.map(([key, value], i) => `'${i === 0 ? '{' : ','}"${key}":', ${value}`).join(', ')}, '}')`;
}

/** SQLite: each row of the chunk as the JSON text of a ReportRecommendation (same keys, same order as before). */
export function sqliteListJson(): string {
  const list = (column: string) => `COALESCE(${column}, '[]')`;
  // An SDG tag is a goal ("5") or a target ("5.1", "16.a"): sdgs are the goals of both, once each and by
  // number (CAST reads the leading digits); sdgTargets the targets in their given order.
  const sdgTags = `sdg_tags AS (SELECT k.id, json_group_array(k.goal) AS goals
    FROM (SELECT DISTINCT r.id, CAST(t.value AS INTEGER) AS goal FROM recommendation r CROSS JOIN recommendation_tag t
      WHERE ${CHUNK_WHERE} AND t.recommendation_id = r.id AND t.kind = 'sdg' ORDER BY 1, 2) k
    GROUP BY k.id)`;
  const targets = `\n      json_group_array(t.value) FILTER (WHERE t.kind = 'sdg' AND t.value LIKE '%.%') AS targets,`;
  return `WITH ${sqliteTagGroups((v) => `json_group_array(${v})`, (code) => code, targets)}, ${sdgTags}, ${SQLITE_HISTORY}
  SELECT ${jsonObjectText([
    ['id', 'r.id'], ['paragraph', 'json_quote(r.paragraph)'], ['text', 'json_quote(r.text)'],
    ['recommendingStates', list('g.states')], ['recommendingStateCodes', list('g.codes')],
    ['response', 'json_quote(r.response)'], ['kind', 'json_quote(r.kind)'], ['status', 'json_quote(r.status)'],
    ['themes', list('g.themes')], ['affectedPersons', list('g.persons')], ['sdgs', list('d.goals')], ['sdgTargets', list('g.targets')],
    ['actionCategory', 'json_quote(r.action_category)'], ['predecessorId', 'json_quote(r.predecessor_id)'], ['evidenceCount', 'COALESCE(ec.n, 0)'],
    ['lastStatusNote', 'json_quote(s.note)'], ['lastStatusChangedAt', `json_quote(strftime('%Y-%m-%dT%H:%M:%fZ', s.created_at))`],
  ])} AS row
  ${SQLITE_FROM}`;
}

/** SQLite: the chunk as spreadsheet cells (ListCells: the XLSX list). */
export function sqliteListCells(): string {
  return `${sqliteCellsWith()}
  SELECT ${Object.entries({ ...CELL_SOURCES, last_status_changed_at: SQLITE_CHANGED_AT }).map(([key, value]) => `${value} AS ${key}`).join(', ')}
  ${SQLITE_FROM}`;
}

const SQLITE_CHANGED_AT = `strftime('%Y-%m-%dT%H:%M:%fZ', s.created_at)`;

function sqliteCellsWith(): string {
  // The cell lists the SDG tags by goal, then in their given order (a sorter over the chunk's SDG tags alone).
  const sdgTags = `sdg_tags AS (SELECT k.id, group_concat(k.value, '; ') AS sdgs
    FROM (SELECT r.id, t.value FROM recommendation r CROSS JOIN recommendation_tag t
      WHERE ${CHUNK_WHERE} AND t.recommendation_id = r.id AND t.kind = 'sdg' ORDER BY 1, CAST(t.value AS INTEGER), t.position) k
    GROUP BY k.id)`;
  return `WITH ${sqliteTagGroups((v) => `group_concat(${v}, '; ')`, (code) => `COALESCE(${code}, '')`)}, ${sdgTags}, ${SQLITE_HISTORY}`;
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

/** SQLite: where each cell of a list row comes from (ListCells' keys); several values in one cell are joined with "; ". */
const CELL_SOURCES: Omit<CellSources, 'last_status_changed_at'> = {
  id: 'r.id', paragraph: 'r.paragraph', text: 'r.text', recommending_states: 'g.states', response: 'r.response', kind: 'r.kind', status: 'r.status',
  themes: 'g.themes', affected_persons: 'g.persons', sdgs: 'd.sdgs', action_category: 'r.action_category', evidence_count: 'COALESCE(ec.n, 0)',
  predecessor_id: 'r.predecessor_id', last_status_note: 's.note', recommending_state_codes: 'g.codes',
};

/** SQLite: the chunk as CSV lines, written by the database (a JavaScript loop over the cells was a third of the export's cost). */
export function sqliteListCsv(): string {
  return `${sqliteCellsWith()}
  SELECT ${csvLine({ ...CELL_SOURCES, last_status_changed_at: SQLITE_CHANGED_AT }, false)} AS line
  ${SQLITE_FROM}`;
}

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
  ...CELL_SOURCES, recommending_states: 'g.recommending_states', themes: 'g.themes', affected_persons: 'g.affected_persons', sdgs: 'g.sdgs',
  evidence_count: POSTGRES_EVIDENCE_COUNT, recommending_state_codes: 'g.recommending_state_codes',
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
