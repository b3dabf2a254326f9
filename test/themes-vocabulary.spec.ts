// Issue 12: the shipped vocabularies. Every issue of the UPR Info export maps to UHRI themes (or, for
// "Other", on purpose to none), the OHCHR matrices' theme lines are known, and the seed holds what
// its header says. The first test reads a copy of the export's issues (test/support/upr-info-issues.ts);
// the second checks that copy against the shared files and fails, saying so, where they are absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as iconv from 'iconv-lite';
import { AFFECTED_GROUP_ALIASES, AFFECTED_GROUPS, SDG_GOALS, SDG_TARGETS, THEME_ALIASES, THEMES } from '../migrations/1795961000000-themes.data';
import { SDG_TARGET_TITLES } from '../migrations/1795968500000-sdg-target-titles.data';
import { VocabularyDirectory } from '../src/themes/theme-directory';
import { splitValues } from '../src/imports/parsers/text-values';
import { UPR_INFO_ISSUES } from './support/upr-info-issues';

const UPR_INFO = join(__dirname, '..', '..', 'shared', 'data', 'upr-info');
const RECOMMENDATION_FILES = ['1-5.csv', '6-9.csv', '10-13.csv', '14-17.csv', '17-20.csv', 'voluntary.csv'];

const TITLES = new Map(SDG_TARGET_TITLES);

function shippedDirectory(): VocabularyDirectory {
  return new VocabularyDirectory({
    themes: THEMES.map(([code, name]) => ({ code, name })),
    themeAliases: THEME_ALIASES.map(([alias, themeCodes, groupNames]) => ({ alias, themeCodes, groupNames })),
    groups: AFFECTED_GROUPS.map((name) => ({ name })),
    groupAliases: AFFECTED_GROUP_ALIASES.map(([alias, groupName]) => ({ alias, groupName })),
    sdgs: [...SDG_GOALS.map(([goal, title]) => ({ code: String(goal), goal, title })), ...SDG_TARGETS.map((code) => ({ code, goal: Number(code.split('.')[0]), title: TITLES.get(code) ?? null }))],
  });
}

describe('the shipped vocabularies', () => {
  const directory = shippedDirectory();

  it('should map every issue of the UPR Info export to UHRI themes, and only "Other" to none', () => {
    const unmapped = Object.keys(UPR_INFO_ISSUES).filter((issue) => directory.resolveTheme(issue) === null);
    expect(unmapped).toEqual([]);
    const withoutTheme = Object.keys(UPR_INFO_ISSUES).filter((issue) => directory.resolveTheme(issue)!.codes.length === 0);
    expect(withoutTheme).toEqual(['Other']);
    expect(directory.resolveTheme('Death penalty')).toEqual({ codes: ['D23'], groups: [] });
    expect(directory.resolveTheme("Women's rights")).toEqual({ codes: ['F1'], groups: ['Women'] });
    expect(directory.resolveTheme('Rights of the Child')).toEqual({ codes: ['F3'], groups: ['Children'] });
    expect(directory.resolveTheme('Freedom of association and peaceful assembly')).toEqual({ codes: ['D44', 'D45'], groups: [] });
  });

  it('should hold the copy of the issues that the shared UPR Info files hold', () => {
    // As the other suites on real data: absent data is said, not passed over (../shared/data/README.md).
    if (!existsSync(UPR_INFO)) throw new Error(`The real data this test reads is absent: ${UPR_INFO} (see ../shared/data/README.md)`);
    const counts: Record<string, number> = {};
    for (const file of RECOMMENDATION_FILES) {
      const rows: Record<string, string>[] = parse(iconv.decode(readFileSync(join(UPR_INFO, file)), 'macintosh'), { columns: true, record_delimiter: ['\r', '\n', '\r\n'] });
      // Split as the UPR Info parser splits the column (src/imports/parsers/upr-info-csv.parser.ts).
      for (const row of rows) for (const issue of splitValues(row.Issue ?? '', ',')) counts[issue] = (counts[issue] ?? 0) + 1;
    }
    expect(counts).toEqual(UPR_INFO_ISSUES);
  });

  it('should know a theme by its code, its name, both, and a name under the wrong code, and the themes beneath a code', () => {
    expect(directory.resolveTheme('D23')).toEqual({ codes: ['D23'], groups: [] });
    expect(directory.resolveTheme('D23 Death penalty')).toEqual({ codes: ['D23'], groups: [] });
    expect(directory.resolveTheme('- D51 Administration of justice and fair trial')).toEqual({ codes: ['D51'], groups: [] });
    // A name OHCHR once put under a neighbour's code, and UHRI's code with a wording nobody listed.
    expect(directory.resolveTheme('D8 Rights related to name, identity, nationality')!.codes).toEqual(['D6']);
    expect(directory.resolveTheme('A12 Ratification of treaties')!.codes).toEqual(['A12']);
    expect(directory.resolveTheme('Migrants')).toEqual({ codes: ['G4'], groups: ['Migrants'] });
    expect(directory.resolveTheme('Nothing of the sort')).toBeNull();
    expect(directory.suggestThemes('Death penalties')[0]).toBe('D23 Death penalty');
    expect(directory.themeFilterCodes('D2')).toEqual(['D2', 'D21', 'D23', 'D25', 'D26', 'D27', 'D29']);
    expect(directory.themeFilterCodes('Death penalty')).toEqual(['D23']);
  });

  it('should know the groups of persons by their names and the spellings of the OHCHR lists', () => {
    expect(directory.resolveGroup('- women')).toBe('Women');
    expect(directory.resolveGroup('lesbian, gay, bisexual, transgender and intersex persons (LGBTI) ')).toBe('Lesbian, gay, bisexual, transgender and intersex persons');
    expect(directory.resolveGroup('minorities/ racial, ethnic, linguistic, religious or descent-based groups')).toBe('Minorities / racial, ethnic, linguistic, religious or descent-based groups');
    expect(directory.resolveGroup('refugees &amp; asylum seekers'.replace('&amp;', '&'))).toBe('Refugees & asylum seekers');
    expect(directory.resolveGroup('Martians')).toBeNull();
    expect(directory.suggestGroups('woman')).toContain('Women');
  });

  it('should ship 17 goals and 169 targets, and read a goal as sources write it', () => {
    expect(SDG_GOALS).toHaveLength(17);
    expect(SDG_TARGETS).toHaveLength(169);
    expect(new Set(SDG_TARGETS).size).toBe(169);
    expect(SDG_TARGETS.slice(0, 7)).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '1.a', '1.b']);
    expect(SDG_TARGETS.at(-1)).toBe('17.19');
    for (const value of ['5', 'SDG 5', 'Goal 5', 'Gender equality', '- 5 - GENDER EQUALITY']) expect(directory.resolveSdg(value)).toBe('5');
    expect(directory.resolveSdg('5.1')).toBe('5.1');
    expect(directory.resolveSdg('18')).toBeNull();
    expect(directory.sdgFilterCodes('5')).toEqual(['5', '5.1', '5.2', '5.3', '5.4', '5.5', '5.6', '5.a', '5.b', '5.c']);
    // An S that starts a goal's name is not OHCHR's "S16" code.
    expect(directory.resolveSdg('Sustainable cities and communities')).toBe('11');
  });

  it('should title each of the 169 targets with its text, and read a target as people and sources write it', () => {
    // The titles' data file gives every target number the first seed listed, in the same order, each once.
    expect(SDG_TARGET_TITLES.map(([code]) => code)).toEqual(SDG_TARGETS);
    for (const [code, title] of SDG_TARGET_TITLES) expect([code, title.length > 20 && title === title.trim() && !/\s{2}/.test(title)]).toEqual([code, true]);
    expect(directory.sdgTitle('5.1')).toBe('End all forms of discrimination against all women and girls everywhere');
    expect(directory.sdgTitle('16.a')).toMatch(/^Strengthen relevant national institutions/);
    for (const value of ['5.1', 'Target 5.1', 'SDG 5.1', 'SDG target 5.1', 'target5.1', '- 5.1 - End all forms of discrimination']) expect([value, directory.resolveSdgTarget(value)]).toEqual([value, '5.1']);
    expect(directory.resolveSdgTarget('Target 16.A')).toBe('16.a');
    for (const value of ['5', 'SDG 5', '5.9', '5.d', '18.1', '5.1.1', 'Gender equality']) expect([value, directory.resolveSdgTarget(value)]).toEqual([value, null]);
    expect(directory.resolveSdg('Target 5.1')).toBe('5.1');
    expect(directory.sdgFilterCodes('Target 16.a')).toEqual(['16.a']);
    expect(directory.suggestSdgTargets('5.9')).toEqual(['5.6', '5.5', '5.4']);
    expect(directory.suggestSdgTargets('Target 5.d')).toEqual(['5.c', '5.b', '5.a']);
    expect(directory.suggestSdgTargets('18.1').length).toBeGreaterThan(0);
  });

  it('should refer only to themes and groups it ships, and give no two themes one code', () => {
    const codes = new Set(THEMES.map(([code]) => code));
    expect(codes.size).toBe(THEMES.length);
    const groups = new Set(AFFECTED_GROUPS);
    for (const [alias, themeCodes, groupNames] of THEME_ALIASES) {
      for (const code of themeCodes.split(' ').filter(Boolean)) expect([alias, codes.has(code)]).toEqual([alias, true]);
      for (const group of groupNames.split('|').filter(Boolean)) expect([alias, groups.has(group)]).toEqual([alias, true]);
    }
    for (const [alias, group] of AFFECTED_GROUP_ALIASES) expect([alias, groups.has(group)]).toEqual([alias, true]);
  });
});
