import { similarity } from './text-similarity';
import { foldTreatyNames } from './treaty-names';

const THRESHOLD = 0.5;

describe('treaty names', () => {
  it('should fold a core instrument, named or abbreviated, to one token, protocols apart from their treaty', () => {
    expect(foldTreatyNames('become a party to cedaw')).toBe('ratify cedaw');
    expect(foldTreatyNames('accede to the convention on enforced disappearance')).toBe('ratify the cped');
    expect(foldTreatyNames('ratify the convention on the elimination of all forms of discrimination against women')).toBe('ratify the cedaw');
    expect(foldTreatyNames('ratify the optional protocol to the convention against torture')).toBe('ratify the opcat');
    expect(foldTreatyNames('ratify op cat and the convention against torture')).toBe('ratify opcat and the cat');
    expect(foldTreatyNames('ratify ilo convention no 189 and ilo c 169')).toBe('ratify ilo189 and ilo169');
    expect(foldTreatyNames('accede to the rome statute of the international criminal court')).toBe('ratify the romestatute');
    // Part of a longer word is not a treaty.
    expect(foldTreatyNames('certify the catalogue')).toBe('certify the catalogue');
  });

  it('should score a recommendation made again with the treaty spelled out above the threshold', () => {
    const same: [string, string][] = [
      ['Become a party to CEDAW', 'Ratify the Convention on the Elimination of All Forms of Discrimination against Women'],
      ['Ratify ICESCR, CRC and CRPD', 'Ratify the International Covenant on Economic, Social and Cultural Rights, the Convention on the Rights of the Child and the Convention on the Rights of Persons with Disabilities'],
      ['Ratify OP-CAT', 'Ratify the Optional Protocol to the Convention against Torture'],
      ['Ratify ILO Convention No. 189 on domestic workers', 'Ratify ILO C189 on domestic workers'],
      ['Accede to the Rome Statute', 'Accede to the Rome Statute of the International Criminal Court'],
      ['Ratify the Second Optional Protocol to the ICCPR', 'Ratify the Second Optional Protocol to the International Covenant on Civil and Political Rights, aiming at the abolition of the death penalty'],
      ['Ratify ICRMW', 'Ratify the International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families'],
      ['Ratify the CPED', 'Ratify the International Convention for the Protection of All Persons from Enforced Disappearance'],
    ];
    for (const [older, later] of same) expect({ older, later, score: similarity(older, later) >= THRESHOLD }).toEqual({ older, later, score: true });
  });

  it('should keep different treaties below the threshold, a protocol apart from its treaty', () => {
    const different: [string, string][] = [
      ['Ratify CAT', 'Ratify CEDAW'],
      ['Ratify the Optional Protocol to the Convention against Torture', 'Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights'],
      ['Ratify the Convention on the Rights of the Child', 'Ratify the Optional Protocol to the Convention on the Rights of the Child on the involvement of children in armed conflict'],
      ['Ratify ILO Convention No. 189', 'Ratify ILO Convention No. 169'],
    ];
    for (const [a, b] of different) expect({ a, b, below: similarity(a, b) < THRESHOLD }).toEqual({ a, b, below: true });
  });
});
