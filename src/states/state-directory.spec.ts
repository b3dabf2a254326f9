import { STATE_ALIASES, UN_STATES } from '../../migrations/1795960100000-states.data';
import { StateDirectory } from './state-directory';
import { splitStateCell, stateMatchKey } from './state-names';

/** The shipped directory, as the application builds it from the seeded tables. */
function shipped(): StateDirectory {
  return new StateDirectory(
    UN_STATES.map(([code, alpha2, nameEn, nameFr, nameEs]) => ({ code, alpha2, nameEn, nameFr, nameEs })),
    STATE_ALIASES.map(([alias, stateCode]) => ({ alias, stateCode })),
  );
}

describe('the names of States', () => {
  const states = shipped();
  const name = (value: string) => states.resolve(value)?.name ?? null;

  it('should ship the 193 member States and the 2 observer States with distinct codes and names', () => {
    expect(UN_STATES.filter((s) => s[5] === 'member')).toHaveLength(193);
    expect(UN_STATES.filter((s) => s[5] === 'observer').map((s) => s[2]).sort()).toEqual(['Holy See', 'State of Palestine']);
    for (const column of [0, 1, 2]) expect(new Set(UN_STATES.map((s) => s[column])).size).toBe(195);
  });

  it('should resolve a name asked for again as the first time, and a coalition\'s alias even after the shipped names did not know it', () => {
    const directory = shipped();
    const first = ['Cote d\'Ivoire', 'Ivory Coast', 'Sierra Le one', 'Freedonia'].map((value) => directory.resolveName(value)?.name ?? null);
    expect(first).toEqual(["Côte d'Ivoire", "Côte d'Ivoire", 'Sierra Leone', null]);
    expect(['Cote d\'Ivoire', 'Ivory Coast', 'Sierra Le one', 'Freedonia'].map((value) => directory.resolveName(value)?.name ?? null)).toEqual(first);
    const withAlias = directory.withAliases([{ alias: 'Freedonia', stateCode: 'FRA' }]);
    expect([withAlias.resolveName('Freedonia')?.name, withAlias.resolveName('Ivory Coast')?.name]).toEqual(['France', "Côte d'Ivoire"]);
    expect(directory.resolveName('Freedonia')).toBeNull();
  });

  it('should not remember names longer than any State\'s, which an import can send by the thousand', () => {
    const directory = shipped();
    const remembered = () => (directory as unknown as { resolved: Map<string, unknown> }).resolved.size;
    const before = remembered();
    expect(directory.resolveName(`Chile ${'x'.repeat(200)}`)).toBeNull();
    expect(remembered()).toBe(before);
    expect(directory.resolveName('United Kingdom of Great Britain and Northern Ireland')?.name).toBe('United Kingdom of Great Britain and Northern Ireland');
    expect(remembered()).toBe(before + 1);
  });

  it('should never let one spelling name two States', () => {
    const owner = new Map<string, string>();
    for (const [code, , en, fr, es] of UN_STATES) {
      for (const n of [en, fr, es]) {
        const key = stateMatchKey(n);
        expect({ name: n, other: owner.get(key) ?? code }).toEqual({ name: n, other: code });
        owner.set(key, code);
      }
    }
    for (const [alias, code] of STATE_ALIASES) expect({ alias, code: owner.get(stateMatchKey(alias)) ?? code }).toEqual({ alias, code });
  });

  it('should match apostrophes, accents, case, "&", "St" and transposed or misspelt forms', () => {
    for (const spelling of ["Cote d'Ivoire", 'Côte d\u2019Ivoire', "Côte d'Ivoire", 'COTE D`IVOIRE', 'Ivory Coast', 'CI', 'CIV', 'civ']) expect(name(spelling)).toBe("Côte d'Ivoire");
    for (const spelling of ['Bolivarian Republic of Venezuela', 'Venezuela (Bolivarian Republic of)', 'Venezuela, Bolivarian Republic of', 'Venezuela']) expect(name(spelling)).toBe('Venezuela (Bolivarian Republic of)');
    expect(name('Bolivia (Plurinational S tate of)')).toBe('Bolivia (Plurinational State of)');
    expect(name('United States')).toBe('United States of America');
    expect(name('États-Unis d\u2019Amérique')).toBe('United States of America');
    expect(name('Estados Unidos de América')).toBe('United States of America');
    expect(name('Iran')).toBe('Iran (Islamic Republic of)');
    expect(name('Russia')).toBe('Russian Federation');
    expect(name('UK')).toBe('United Kingdom of Great Britain and Northern Ireland');
    expect(name('South Korea')).toBe('Republic of Korea');
    expect(name('Korea, Republic of')).toBe('Republic of Korea');
    expect(name('DPRK')).toBe("Democratic People's Republic of Korea");
    expect(name('Lao PDR')).toBe("Lao People's Democratic Republic");
    expect(name('Syria')).toBe('Syrian Arab Republic');
    expect(name('Tanzania')).toBe('United Republic of Tanzania');
    expect(name('Moldova')).toBe('Republic of Moldova');
    expect(name('Micronesia')).toBe('Micronesia (Federated States of)');
    expect(name('Vietnam')).toBe('Viet Nam');
    expect(name('Turkey')).toBe('Türkiye');
    expect(name('Turkiye')).toBe('Türkiye');
    expect(name('Czech Republic')).toBe('Czechia');
    expect(name('Swaziland')).toBe('Eswatini');
    expect(name('Macedonia')).toBe('North Macedonia');
    expect(name('The former Yugoslav Republic of Macedonia')).toBe('North Macedonia');
    expect(name('Cape Verde')).toBe('Cabo Verde');
    expect(name('St Vincent & the Grenadines')).toBe('Saint Vincent and the Grenadines');
    expect(name('Guinea Bissau')).toBe('Guinea-Bissau');
    expect(name('Netherlands (the)')).toBe('Netherlands');
    expect(name('Congo')).toBe('Congo');
    expect(name('Democratic Republic of Congo')).toBe('Democratic Republic of the Congo');
    expect(name('Sierra Le one')).toBe('Sierra Leone');
    expect(name('Burkina  Fa so')).toBe('Burkina Faso');
    expect(name('Atlantis')).toBeNull();
  });

  it('should split a cell listing several States without splitting a State whose name holds a comma, "and" or brackets', () => {
    const split = (cell: string) => states.normalizeList([cell]);
    expect(split('Chile, Peru and Brazil')).toEqual({ names: ['Chile', 'Peru', 'Brazil'], unknown: [] });
    expect(split('France; Germany;')).toEqual({ names: ['France', 'Germany'], unknown: [] });
    expect(split('Korea, Republic of')).toEqual({ names: ['Republic of Korea'], unknown: [] });
    expect(split('Venezuela (Bolivarian Republic of), Bolivia (Plurinational State of) and Iran (Islamic Republic of)')).toEqual({
      names: ['Venezuela (Bolivarian Republic of)', 'Bolivia (Plurinational State of)', 'Iran (Islamic Republic of)'], unknown: [],
    });
    expect(split('Bosnia and Herzegovina, Trinidad and Tobago and Antigua & Barbuda')).toEqual({
      names: ['Bosnia and Herzegovina', 'Trinidad and Tobago', 'Antigua and Barbuda'], unknown: [],
    });
    expect(split("Cote d'Ivoire; Côte d\u2019Ivoire")).toEqual({ names: ["Côte d'Ivoire"], unknown: [] });
    expect(split('Chile, Atlantis')).toEqual({ names: ['Chile'], unknown: ['Atlantis'] });
    expect(split('Republic of Atlantis and Lemuria')).toEqual({ names: [], unknown: ['Republic of Atlantis and Lemuria'] });
    expect(split('&#40;Unknown&#41;')).toEqual({ names: ['&#40;Unknown&#41;'], unknown: [] });
    expect(splitStateCell('Chile, Peru, and Brazil.', () => true)).toEqual(['Chile, Peru, and Brazil']);
  });

  it('should suggest the closest canonical names for an unknown one', () => {
    expect(states.suggest('Boliva')[0]).toBe('Bolivia (Plurinational State of)');
    expect(states.suggest('Untied States')[0]).toBe('United States of America');
    expect(states.suggest('Republic of Cote dIvoire')).toContain("Côte d'Ivoire");
    expect(states.suggest('zzzz')).toEqual([]);
  });

  it("should add a coalition's aliases to its copy only", () => {
    const own = states.withAliases([{ alias: 'Atlantis', stateCode: 'GRC' }]);
    expect(own.resolve('atlantis')?.name).toBe('Greece');
    expect(states.resolve('Atlantis')).toBeNull();
  });
});
