import type { ImportedRecommendation } from './import-record';
import { ImportMerger } from './import-merge';

function row(line: number, stateUnderReview: string, text: string, from: string, paragraph: string | null = null): ImportedRecommendation {
  return {
    line, stateUnderReview, session: '9', cycleNumber: 1, documentSymbol: null, paragraph, text, recommendingStates: [from],
    response: 'supported', themes: [], affectedPersons: [], sdgs: [], actionCategory: null,
  };
}

describe('ImportMerger', () => {
  it('should merge a cycle\'s rows and find repeats when another cycle\'s rows come in between', () => {
    const merger = new ImportMerger();
    merger.add(row(2, 'Chad', 'Ratify the Convention', 'France'));
    merger.add(row(3, 'Mali', 'Ratify the Convention', 'France'));
    merger.add(row(4, 'Chad', 'Ratify the  Convention ', 'Ghana'));
    merger.add(row(5, 'Mali', 'Ratify the Convention', 'France'));
    merger.add(row(6, 'Chad', 'Ratify the Convention', 'France'));

    expect([...merger.cycles.keys()]).toEqual(['Chad|9|1', 'Mali|9|1']);
    const chad = [...merger.cycles.get('Chad|9|1')!.recommendations.values()];
    expect(chad.map((r) => ({ text: r.text, states: r.recommendingStates, lines: r.lines }))).toEqual([{ text: 'Ratify the Convention', states: ['France', 'Ghana'], lines: [2, 4] }]);
    expect(merger.duplicates).toEqual([{ line: 5, duplicateOf: 3 }, { line: 6, duplicateOf: 2 }]);
    expect(merger.recommendationCount).toBe(2);
  });

  it('should refuse a second text under one paragraph, and take a repeat of the refused row as its duplicate', () => {
    const merger = new ImportMerger();
    merger.add(row(2, 'Chad', 'Ratify the Convention', 'France', '12.1'));
    merger.add(row(3, 'Chad', 'Abolish the death penalty', 'Ghana', '12.1'));
    merger.add(row(4, 'Chad', 'Abolish the death penalty', 'Ghana', '12.1'));
    expect(merger.problems.map((p) => [p.line, p.code])).toEqual([[3, 'paragraphConflict']]);
    expect(merger.duplicates).toEqual([{ line: 4, duplicateOf: 3 }]);
  });
});
