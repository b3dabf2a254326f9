import type { Duplicate } from './import-merge';
import type { ImportFormat, RowProblem } from './import-record';
import type { UnknownStateName } from '../states/state-directory';
import type { Mechanism } from '../vocabulary/cycle.vocabulary';

export interface CycleSummary {
  cycleId: number | null;
  label: string;
  /** What the label is made of, for a page that names the cycle in another language. */
  mechanism: Mechanism;
  number: number;
  stateUnderReview: string;
  session: string | null;
  /** True when the import created this cycle. */
  createdCycle: boolean;
  created: number;
  updated: number;
  unchanged: number;
}

/** What an import did (or, for a dry run or a refused import, would have done). */
export interface ImportSummary {
  file: string;
  format: ImportFormat;
  dryRun: boolean;
  /** False when nothing was written: a dry run, or bad rows without --partial. */
  committed: boolean;
  rows: number;
  recommendations: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  cyclesCreated: number;
  cycles: CycleSummary[];
  /** The bad rows, with line and reason: the first 1,000 (problemsNotListed says how many more). */
  problems: RowProblem[];
  problemsNotListed?: number;
  duplicateRows: Duplicate[];
  /**
   * Names in the file that match no UN member or observer State (fields stateUnderReview,
   * recommendingStates), no UHRI theme (themes) or group of persons (affectedPersons), nor any alias,
   * each once per field, with the closest canonical names. A real import with any is refused.
   */
  unknownNames: UnknownStateName[];
  /** Predecessor suggestions stored for the new recommendations (see GET /recommendations/:id/lineage). */
  lineageSuggestions?: number;
  /** Why suggestions were not computed now, and how to compute them. */
  lineageNote?: string;
  seconds: number;
}

const VOCABULARY_OF_FIELD: Record<string, string> = { stateUnderReview: 'State', recommendingStates: 'State', themes: 'theme', affectedPersons: 'group of persons' };

/** The summary as a person reads it on a terminal. */
export function formatSummary(summary: ImportSummary, maxProblems = 50): string {
  const lines: string[] = [];
  const verdict = summary.dryRun
    ? 'Dry run: nothing was written.'
    : summary.committed
      ? 'Imported.'
      : summary.problems.length === 0 && summary.unknownNames.length > 0
        ? `Nothing was imported: ${summary.unknownNames.length} names match no State, theme or group of persons, or SDG target (below). Correct them in the file, or add an alias for your coalition ("alias add --coalition NAME --state CODE --alias TEXT", or --theme CODE, or --group NAME), and run again.`
        : 'Nothing was imported: fix the rows below (or use --partial to import the good rows only).';
  lines.push(`${verdict} ${summary.file} (${summary.format}), ${summary.rows} rows in ${summary.seconds.toFixed(1)} s`);
  lines.push(
    `recommendations: ${summary.recommendations} — created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}; ` +
      `rejected rows ${summary.rejected}; duplicate rows ${summary.duplicates}; cycles created ${summary.cyclesCreated}`,
  );
  if (summary.lineageSuggestions !== undefined) lines.push(`predecessor suggestions in earlier cycles: ${summary.lineageSuggestions}`);
  if (summary.lineageNote) lines.push(summary.lineageNote);
  const shown = summary.cycles.slice(0, 20);
  for (const cycle of shown) {
    lines.push(`  ${cycle.cycleId === null ? '(new)' : `#${cycle.cycleId}`} ${cycle.label}: created ${cycle.created}, updated ${cycle.updated}, unchanged ${cycle.unchanged}${cycle.createdCycle ? ' (new cycle)' : ''}`);
  }
  if (summary.cycles.length > shown.length) lines.push(`  … and ${summary.cycles.length - shown.length} more cycles`);
  for (const problem of summary.problems.slice(0, maxProblems)) {
    lines.push(`  line ${problem.line}${problem.field ? ` (${problem.field})` : ''}: ${problem.problem}`);
  }
  const more = summary.problems.length - Math.min(maxProblems, summary.problems.length) + (summary.problemsNotListed ?? 0);
  if (more > 0) lines.push(`  … and ${more} more problems${summary.problems.length > maxProblems ? ' (--json lists the first 1,000)' : ''}`);
  for (const unknown of summary.unknownNames.slice(0, maxProblems)) {
    lines.push(`  unknown ${VOCABULARY_OF_FIELD[unknown.field] ?? 'name'} (${unknown.field}): "${unknown.value}"${unknown.suggestions.length > 0 ? `; did you mean ${unknown.suggestions.join(', ')}?` : ''}`);
  }
  if (summary.unknownNames.length > maxProblems) lines.push(`  … and ${summary.unknownNames.length - maxProblems} more unknown names (--json lists them all)`);
  for (const duplicate of summary.duplicateRows.slice(0, 10)) lines.push(`  line ${duplicate.line}: exact duplicate of line ${duplicate.duplicateOf}, not imported twice`);
  if (summary.duplicateRows.length > 10) lines.push(`  … and ${summary.duplicateRows.length - 10} more duplicate rows`);
  return lines.join('\n');
}
