import { VocabularyDirectory } from '../themes/theme-directory';
import type { ImportedRecommendation } from './import-record';
import { ThemeNormalizer } from './theme-normalizer';

const directory = new VocabularyDirectory({
  themes: [{ code: 'B4', name: 'Right to development' }, { code: 'F1', name: "Women's rights" }],
  themeAliases: [{ alias: "Women's rights", themeCodes: 'F1', groupNames: 'Women' }],
  groups: [{ name: 'Women' }, { name: 'Children' }],
  groupAliases: [],
  sdgs: [{ code: '5', goal: 5, title: null }, { code: '5.1', goal: 5, title: null }],
});

function row(themes: string[], extra: Partial<ImportedRecommendation> = {}): ImportedRecommendation {
  return {
    line: 2, stateUnderReview: 'Chad', session: '3', cycleNumber: 1, documentSymbol: null, paragraph: null, text: 'Ratify',
    recommendingStates: ['Mali'], response: 'supported', themes, affectedPersons: [], sdgs: [], actionCategory: null, ...extra,
  };
}

describe('ThemeNormalizer', () => {
  it('should normalise rows of the same themes alike, and a row with groups or SDG targets with them, whatever came before', () => {
    const themes = new ThemeNormalizer(directory);
    const first = row(["Women's rights", 'Right to development']);
    const withGroups = row(["Women's rights", 'Right to development'], { affectedPersons: ['Children'] });
    const withTargets = row(["Women's rights", 'Right to development'], { sdgTargets: ['Target 5.1'] });
    const again = row(["Women's rights", 'Right to development']);
    const unknown = row(['No such theme']);
    const unknownAgain = row(['No such theme']);
    for (const record of [first, withGroups, withTargets, again, unknown, unknownAgain]) themes.normalize(record);

    expect([first.themes, first.affectedPersons]).toEqual([['F1', 'B4'], ['Women']]);
    expect([withGroups.themes, withGroups.affectedPersons]).toEqual([['F1', 'B4'], ['Children', 'Women']]);
    expect([withTargets.themes, withTargets.affectedPersons, withTargets.sdgTargets]).toEqual([['F1', 'B4'], ['Women'], ['5.1']]);
    expect([again.themes, again.affectedPersons]).toEqual([['F1', 'B4'], ['Women']]);
    // Kept as written and listed once, however many rows name it.
    expect([unknown.themes, unknownAgain.themes]).toEqual([['No such theme'], ['No such theme']]);
    expect(themes.unknownNames().map((name) => [name.field, name.value])).toEqual([['themes', 'No such theme']]);
  });

  it('should not take one list of themes for another whose values joined look the same', () => {
    const themes = new ThemeNormalizer(directory);
    const two = row(["Women's rights", 'Right to development']);
    const one = row(["Women's rights\u0000Right to development"]);
    themes.normalize(two);
    themes.normalize(one);
    expect(two.themes).toEqual(['F1', 'B4']);
    expect(one.themes).toEqual(["Women's rights\u0000Right to development"]);
    expect(one.affectedPersons).toEqual([]);
  });

  it('should normalise rows sharing one array of themes (a parser gives one per distinct cell) as rows with their own', () => {
    const themes = new ThemeNormalizer(directory);
    const shared = ["Women's rights", 'No such theme'];
    const rows = [row(shared), row(shared), row(["Women's rights", 'No such theme']), row(shared, { affectedPersons: ['Children'] }), row(shared)];
    for (const record of rows) themes.normalize(record);
    expect(rows.map((record) => [record.themes, record.affectedPersons])).toEqual([
      [['F1', 'No such theme'], ['Women']], [['F1', 'No such theme'], ['Women']], [['F1', 'No such theme'], ['Women']],
      [['F1', 'No such theme'], ['Children', 'Women']], [['F1', 'No such theme'], ['Women']],
    ]);
    expect(shared).toEqual(["Women's rights", 'No such theme']);
    expect(themes.unknownNames().map((name) => name.value)).toEqual(['No such theme']);
  });
});
