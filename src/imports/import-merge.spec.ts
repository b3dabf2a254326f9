import type { ImportedRecommendation } from './import-record';
import { ImportMerger } from './import-merge';
import { hashNormalizedText, normalizeText } from '../recommendations/text-key';

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

  it('should find the same duplicates, conflicts and merges as keying every row would, whatever the order of the rows', () => {
    // Few paragraphs, texts (spelt with and without extra white space) and States: repeats, merges and conflicts abound.
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const texts = ['Ratify the Convention', 'Ratify the  Convention ', 'Abolish the death penalty', 'Protect journalists'];
    for (let round = 0; round < 20; round += 1) {
      const rows = Array.from({ length: 60 }, (_, i) => {
        const record = row(i + 2, ['Chad', 'Mali'][random(2)], texts[random(texts.length)], ['France', 'Ghana', 'Peru'][random(3)], [null, '12.1', '12.2'][random(3)]);
        if (random(4) === 0) record.recommendingStates = ['France', 'Ghana'];
        if (random(5) === 0) record.documentSymbol = `A/HRC/${random(3)}`;
        return record;
      });
      const merger = new ImportMerger();
      for (const record of rows) merger.add({ ...record });
      const expected = keyingEveryRow(rows);
      expect(merger.duplicates).toEqual(expected.duplicates);
      expect(merger.problems.map((p) => p.line)).toEqual(expected.conflicts);
      expect([...merger.cycles.values()].map((c) => [c.key, c.documentSymbol, [...c.recommendations.values()].map((r) => [r.naturalKey, r.lines, r.recommendingStates])]))
        .toEqual(expected.cycles);
    }
  });
});

/** What the merger found when it made and remembered every row's key (text, paragraph, States), for comparison. */
function keyingEveryRow(rows: ImportedRecommendation[]) {
  const duplicates: { line: number; duplicateOf: number }[] = [];
  const conflicts: number[] = [];
  const cycles = new Map<string, { symbol: string | null; seen: Map<string, number>; recommendations: Map<string, { textKey: string; lines: number[]; states: string[] }> }>();
  for (const record of rows) {
    const key = hashNormalizedText(normalizeText(record.text));
    const cycleKey = `${record.stateUnderReview}|${record.session ?? ''}|${record.cycleNumber ?? ''}`;
    const cycle = cycles.get(cycleKey) ?? { symbol: record.documentSymbol, seen: new Map(), recommendations: new Map() };
    cycles.set(cycleKey, cycle);
    const rowKey = `${key}|${record.paragraph ?? ''}|${record.recommendingStates.join(';')}`;
    const earlier = cycle.seen.get(rowKey);
    if (earlier !== undefined) {
      duplicates.push({ line: record.line, duplicateOf: earlier });
      continue;
    }
    cycle.seen.set(rowKey, record.line);
    cycle.symbol ??= record.documentSymbol;
    const naturalKey = record.paragraph ? `p:${record.paragraph}` : `t:${key}`;
    const existing = cycle.recommendations.get(naturalKey);
    if (!existing) cycle.recommendations.set(naturalKey, { textKey: key, lines: [record.line], states: record.recommendingStates });
    else if (existing.textKey !== key) conflicts.push(record.line);
    else {
      existing.lines.push(record.line);
      existing.states = [...new Set([...existing.states, ...record.recommendingStates])];
    }
  }
  return {
    duplicates,
    conflicts,
    cycles: [...cycles].map(([key, c]) => [key, c.symbol, [...c.recommendations].map(([naturalKey, r]) => [naturalKey, r.lines, r.states])]),
  };
}
