import type { ImportedRecommendation, RowProblem } from './import-record';
import { normalizeText, textKey } from './text-key';

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
  private readonly seenRows = new Map<string, number>();

  add(record: ImportedRecommendation): void {
    const text = normalizeText(record.text);
    const cycleKey = `${record.stateUnderReview}|${record.session ?? ''}|${record.cycleNumber ?? ''}`;
    const rowKey = `${cycleKey}|${text}|${record.paragraph ?? ''}|${record.recommendingStates.join(';')}`;
    const earlier = this.seenRows.get(rowKey);
    if (earlier !== undefined) {
      this.duplicates.push({ line: record.line, duplicateOf: earlier });
      return;
    }
    this.seenRows.set(rowKey, record.line);

    let cycle = this.cycles.get(cycleKey);
    if (!cycle) {
      cycle = { key: cycleKey, stateUnderReview: record.stateUnderReview, session: record.session, cycleNumber: record.cycleNumber, documentSymbol: record.documentSymbol, recommendations: new Map() };
      this.cycles.set(cycleKey, cycle);
    }
    cycle.documentSymbol ??= record.documentSymbol;
    const key = textKey(text);
    const naturalKey = record.paragraph ? `p:${record.paragraph}` : `t:${key}`;
    const existing = cycle.recommendations.get(naturalKey);
    if (!existing) {
      cycle.recommendations.set(naturalKey, { ...record, text, naturalKey, textKey: key, lines: [record.line] });
      return;
    }
    if (existing.textKey !== key) {
      this.problems.push({
        line: record.line,
        field: 'paragraph',
        problem: `paragraph ${record.paragraph} already has a different text (line ${existing.lines[0]}); one paragraph is one recommendation`,
      });
      return;
    }
    existing.lines.push(record.line);
    existing.recommendingStates = union(existing.recommendingStates, record.recommendingStates);
    existing.themes = union(existing.themes, record.themes);
    existing.affectedPersons = union(existing.affectedPersons, record.affectedPersons);
    existing.sdgs = [...new Set([...existing.sdgs, ...record.sdgs])].sort((a, b) => a - b);
    existing.actionCategory ??= record.actionCategory;
  }

  get recommendationCount(): number {
    let n = 0;
    for (const cycle of this.cycles.values()) n += cycle.recommendations.size;
    return n;
  }
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
