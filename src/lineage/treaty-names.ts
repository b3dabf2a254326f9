/**
 * The core human-rights instruments, as older summaries abbreviate them ("Become a party to CEDAW",
 * "ratify ICESCR, CRC and CRPD") and later documents spell them out: both become one token, so the
 * similarity sees the same treaty. Applied to text already lower-cased, accent-free and reduced to
 * letters, digits and single spaces (text-similarity.ts), before stop words are dropped. Names are
 * listed longest first within each instrument: an optional protocol's name contains its treaty's.
 */
const INSTRUMENTS: { token: string; names: string[] }[] = [
  // Optional protocols first: "optional protocol to the convention against torture" contains "convention against torture".
  { token: 'opcat', names: ['optional protocol to the convention against torture and other cruel inhuman or degrading treatment or punishment', 'optional protocol to the convention against torture', 'optional protocol to cat', 'op cat', 'opcat'] },
  {
    token: 'opcedaw',
    names: ['optional protocol to the convention on the elimination of all forms of discrimination against women', 'optional protocol to cedaw', 'op cedaw', 'opcedaw'],
  },
  { token: 'opicescr', names: ['optional protocol to the international covenant on economic social and cultural rights', 'optional protocol to the icescr', 'optional protocol to icescr', 'op icescr', 'opicescr'] },
  {
    token: 'iccprop2',
    names: [
      'second optional protocol to the international covenant on civil and political rights aiming at the abolition of the death penalty',
      'second optional protocol to the international covenant on civil and political rights', 'second optional protocol to the iccpr', 'second optional protocol to iccpr', 'iccpr op2', 'op2 iccpr',
    ],
  },
  { token: 'iccprop1', names: ['first optional protocol to the international covenant on civil and political rights', 'first optional protocol to the iccpr', 'optional protocol to the international covenant on civil and political rights', 'optional protocol to the iccpr', 'iccpr op1'] },
  {
    token: 'opsc',
    names: ['optional protocol to the convention on the rights of the child on the sale of children child prostitution and child pornography', 'optional protocol on the sale of children child prostitution and child pornography', 'opsc'],
  },
  { token: 'opac', names: ['optional protocol to the convention on the rights of the child on the involvement of children in armed conflict', 'optional protocol on the involvement of children in armed conflict', 'opac'] },
  { token: 'opic', names: ['optional protocol to the convention on the rights of the child on a communications procedure', 'optional protocol on a communications procedure', 'opic', 'op3 crc'] },
  { token: 'opcrpd', names: ['optional protocol to the convention on the rights of persons with disabilities', 'optional protocol to the crpd', 'optional protocol to crpd', 'op crpd', 'opcrpd'] },
  { token: 'cedaw', names: ['convention on the elimination of all forms of discrimination against women', 'cedaw'] },
  { token: 'icescr', names: ['international covenant on economic social and cultural rights', 'icescr'] },
  { token: 'iccpr', names: ['international covenant on civil and political rights', 'iccpr'] },
  { token: 'icerd', names: ['international convention on the elimination of all forms of racial discrimination', 'convention on the elimination of all forms of racial discrimination', 'icerd', 'cerd'] },
  { token: 'crpd', names: ['convention on the rights of persons with disabilities', 'crpd'] },
  { token: 'crc', names: ['convention on the rights of the child', 'crc'] },
  { token: 'cat', names: ['convention against torture and other cruel inhuman or degrading treatment or punishment', 'convention against torture', 'uncat', 'cat'] },
  {
    token: 'icmw',
    names: [
      'international convention on the protection of the rights of all migrant workers and members of their families', 'convention on the protection of the rights of all migrant workers and members of their families',
      'migrant workers convention', 'icrmw', 'icmw', 'cmw',
    ],
  },
  {
    token: 'cped',
    names: ['international convention for the protection of all persons from enforced disappearance', 'convention for the protection of all persons from enforced disappearance', 'convention on enforced disappearance', 'icpped', 'cped'],
  },
  { token: 'romestatute', names: ['rome statute of the international criminal court', 'rome statute'] },
];

/** Every name as a whole-word pattern, longest first across instruments too. */
const PATTERNS: { pattern: RegExp; token: string }[] = INSTRUMENTS.flatMap(({ token, names }) => names.map((name) => ({ name, token })))
  .sort((a, b) => b.name.length - a.name.length)
  .map(({ name, token }) => ({ pattern: new RegExp(`(?<![\\p{L}\\p{N}])${name.replace(/ /g, ' ')}(?![\\p{L}\\p{N}])`, 'gu'), token }));

/** ILO conventions by number: "ilo convention no 189", "ilo c189", "convention no 169 of the ilo" → "ilo189". */
const ILO = /(?<![\p{L}\p{N}])(?:ilo (?:convention )?(?:no |number |c ?)?(\d{1,3})|convention no (\d{1,3}) of the (?:ilo|international labour organization))(?![\p{L}\p{N}])/gu;

/**
 * Ways of saying "make the State a party to": older summaries write "become a party to CEDAW" or
 * "accede to the CPED" where later documents write "ratify"; for following a commitment they are
 * the same.
 */
const BECOME_PARTY = /(?<![\p{L}\p{N}])(?:become (?:a )?(?:state )?party to|accede to|accession to|ratification of|adhere to|accession of)(?![\p{L}\p{N}])/gu;

/** The text with every named core instrument replaced by its token, and "become a party to" by "ratify". */
export function foldTreatyNames(flat: string): string {
  let text = flat.replace(ILO, (_match, a: string | undefined, b: string | undefined) => `ilo${a ?? b}`);
  for (const { pattern, token } of PATTERNS) text = text.replace(pattern, token);
  return text.replace(BECOME_PARTY, 'ratify');
}
