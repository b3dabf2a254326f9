import { quoted } from './import-limit';
import type { ImportedRecommendation, RowProblem } from './import-record';
import { hashNormalizedText, normalizeText } from '../recommendations/text-key';

/** Recommendations of one source cycle (State under Review + session), merged across rows. */
export interface SourceCycle {
  key: string;
  stateUnderReview: string;
  session: string | null;
  cycleNumber: number | null;
  documentSymbol: string | null;
  recommendations: Map<string, MergedRecommendation>;
}

export interface MergedRecommendation extends ImportedRecommendation {
  /** Natural key within the cycle: "p:<paragraph>" or "t:<hash of normalised text>". */
  naturalKey: string;
  textKey: string;
  /** Every source line that contributed, for messages. */
  lines: number[];
}

export interface Duplicate {
  line: number;
  duplicateOf: number;
}

/**
 * Folds rows into recommendations. A source with one row per recommending State (UPR Info) gives
 * several rows with the same cycle and text: they become one recommendation with every State, in
 * order. A row that repeats another exactly (same State too) is reported, never counted twice.
 */
export class ImportMerger {
  readonly cycles = new Map<string, SourceCycle>();
  readonly duplicates: Duplicate[] = [];
  readonly problems: RowProblem[] = [];
  /** Per source cycle, what finding repeated rows needs (see RowsSeen). */
  private readonly seenRows = new Map<SourceCycle, RowsSeen>();
  /** The cycle of the last row: a file lists a cycle's rows one after another. */
  private last: { cycle: SourceCycle; seen: RowsSeen } | null = null;

  add(record: ImportedRecommendation): void {
    const text = normalizeText(record.text);
    const key = hashNormalizedText(text);
    const { cycle, seen } = this.cycleOf(record);
    const naturalKey = record.paragraph ? `p:${record.paragraph}` : `t:${key}`;
    const existing = cycle.recommendations.get(naturalKey);
    if (!existing) {
      // A row that repeats another has the other's paragraph and text, so its natural key: a row of a
      // new natural key repeats nothing, and its row key is made only if a second row comes (nearly never).
      seen.firstStates.set(naturalKey, record.recommendingStates);
      cycle.documentSymbol ??= record.documentSymbol;
      // Spelt out: spreading the record with `text` overridden made V8 build a slow dictionary object,
      // the largest single cost of merging 41,000 rows.
      const merged: MergedRecommendation = {
        line: record.line, stateUnderReview: record.stateUnderReview, session: record.session, cycleNumber: record.cycleNumber,
        documentSymbol: record.documentSymbol, paragraph: record.paragraph, text, recommendingStates: record.recommendingStates,
        response: record.response, kind: record.kind ?? 'recommendation', themes: record.themes, affectedPersons: record.affectedPersons, sdgs: record.sdgs,
        sdgTargets: record.sdgTargets, actionCategory: record.actionCategory, naturalKey, textKey: key, lines: [record.line],
      };
      cycle.recommendations.set(naturalKey, merged);
      return;
    }
    const firstStates = seen.firstStates.get(naturalKey);
    if (firstStates !== undefined) {
      seen.rows.set(rowKey(existing.textKey, existing.paragraph, firstStates), existing.lines[0]);
      seen.firstStates.delete(naturalKey);
    }
    const row = rowKey(key, record.paragraph, record.recommendingStates);
    const earlier = seen.rows.get(row);
    if (earlier !== undefined) {
      this.duplicates.push({ line: record.line, duplicateOf: earlier });
      return;
    }
    seen.rows.set(row, record.line);

    cycle.documentSymbol ??= record.documentSymbol;
    if (existing.textKey !== key) {
      this.problems.push({
        line: record.line,
        field: 'paragraph',
        problem: `paragraph ${quoted(record.paragraph ?? '', 40)} already has a different text (line ${existing.lines[0]}); one paragraph is one recommendation`,
        code: 'paragraphConflict',
        values: { paragraph: quoted(record.paragraph ?? '', 40), line: existing.lines[0] },
      });
      return;
    }
    existing.lines.push(record.line);
    existing.recommendingStates = union(existing.recommendingStates, record.recommendingStates);
    existing.themes = union(existing.themes, record.themes);
    existing.affectedPersons = union(existing.affectedPersons, record.affectedPersons);
    existing.sdgs = [...new Set([...existing.sdgs, ...record.sdgs])].sort((a, b) => a - b);
    if (record.sdgTargets) existing.sdgTargets = union(existing.sdgTargets ?? [], record.sdgTargets);
    existing.actionCategory ??= record.actionCategory;
  }

  /** The source cycle of a row (made on its first row) and the rows seen in it. */
  private cycleOf(record: ImportedRecommendation): { cycle: SourceCycle; seen: RowsSeen } {
    const last = this.last;
    if (last && last.cycle.stateUnderReview === record.stateUnderReview && last.cycle.session === record.session && last.cycle.cycleNumber === record.cycleNumber) return last;
    const cycleKey = `${record.stateUnderReview}|${record.session ?? ''}|${record.cycleNumber ?? ''}`;
    let cycle = this.cycles.get(cycleKey);
    if (!cycle) {
      cycle = { key: cycleKey, stateUnderReview: record.stateUnderReview, session: record.session, cycleNumber: record.cycleNumber, documentSymbol: record.documentSymbol, recommendations: new Map() };
      this.cycles.set(cycleKey, cycle);
      this.seenRows.set(cycle, { rows: new Map(), firstStates: new Map() });
    }
    this.last = { cycle, seen: this.seenRows.get(cycle)! };
    return this.last;
  }

  get recommendationCount(): number {
    let n = 0;
    for (const cycle of this.cycles.values()) n += cycle.recommendations.size;
    return n;
  }
}

/**
 * The rows of one source cycle seen so far. A row repeats another when its row key (text, paragraph,
 * recommending States) is the other's; both then have the same natural key. `rows`: the line of each
 * row key, for the natural keys that have had more than one row; `firstStates`: the States of the only
 * row of each natural key that has had one, from which its row key is made when a second row comes.
 */
interface RowsSeen {
  rows: Map<string, number>;
  firstStates: Map<string, string[]>;
}

/** The text's hash stands for the text: a short key hashes and compares far faster than the whole text. */
function rowKey(textKey: string, paragraph: string | null, recommendingStates: string[]): string {
  return `${textKey}|${paragraph ?? ''}|${recommendingStates.join(';')}`;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
