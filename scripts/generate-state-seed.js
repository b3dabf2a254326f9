#!/usr/bin/env node
// Writes migrations/1795960100000-states.data.ts, the seed of the `state` and `state_alias` tables
// (issue 12). Run once, after `npx tsc -p tsconfig.build.json` (it uses the compiled
// src/states/state-names.js for the matching key):
//
//   node scripts/generate-state-seed.js path/to/country-codes.csv
//
// Sources:
// - The UN's short names in English, French and Spanish (UNTERM) and the ISO 3166 codes: the public
//   dataset datasets/country-codes (github.com/datasets/country-codes, data/country-codes.csv, commit
//   caa72d1e, May 2026), columns "UNTERM English/French/Spanish Short" and "ISO3166-1-Alpha-2/-3".
//   UNTERM marks the observer States with "*" and non-members (Cook Islands, Niue) with "**"; the
//   latter are left out. The dataset has no UNTERM row for Côte d'Ivoire and Türkiye: their names
//   below are UNTERM's, written here by hand. The trailing article ("(the)", "(la)") is dropped
//   from the short names (the table keeps the name a person reads) and kept as an alias.
// - ISO names and their common alternatives ("Russia", "South Korea", "Ivory Coast") in English,
//   French and Spanish: the npm package i18n-iso-countries (7.14.0); every alpha-2/alpha-3 pair of
//   the seed is checked against it.
// - The spellings of the UPR Info export (shared data, upr-info/*.csv, "From" and "To") and of UN
//   documents (transposed forms, typos seen in matrices, former names): UN_AND_UPR_INFO_ALIASES below.
// An alias whose matching key would name two States ("Congo" in ISO's English list) is left out
// and reported; a key already given by the State's own names is not repeated.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('csv-parse/sync');
const countries = require('i18n-iso-countries');
const { stateMatchKey } = require('../dist/src/states/state-names.js');

for (const locale of ['en', 'fr', 'es']) countries.registerLocale(require(`i18n-iso-countries/langs/${locale}.json`));

/** UNTERM's names of the two States the dataset lacks. */
const MISSING_FROM_DATASET = [
  ['CIV', 'CI', "Côte d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire", 'member'],
  ['TUR', 'TR', 'Türkiye', 'Türkiye', 'Türkiye', 'member'],
];

/** Spellings seen in the UPR Info export and in UN documents, by alpha-3 code. */
const UN_AND_UPR_INFO_ALIASES = {
  // The UPR Info export (upr-info/*.csv, columns From and To).
  ATG: ['Antigua & Barbuda'],
  BIH: ['Bosnia & Herzegovina'],
  BOL: ['Bolivia', 'Bolivarian Republic of Bolivia', 'Plurinational State of Bolivia', 'Bolivia, Plurinational State of',
    // A typo in an OHCHR matrix (issue 12).
    'Bolivia (Plurinational S tate of)'],
  CIV: ["Cote d'Ivoire", 'Ivory Coast'],
  COD: ['Democratic Republic of Congo', 'DR Congo', 'DRC', 'Congo, Democratic Republic of the', 'Congo (Democratic Republic of the)', 'Congo-Kinshasa'],
  COG: ['Republic of Congo', 'Republic of the Congo', 'Congo, Republic of the', 'Congo-Brazzaville'],
  CPV: ['Cape Verde'],
  CZE: ['Czech Republic'],
  FSM: ['Micronesia', 'Federated States of Micronesia', 'Micronesia, Federated States of'],
  GBR: ['United Kingdom', 'UK', 'U.K.', 'Great Britain', 'Britain', 'United Kingdom of Great Britain & Northern Ireland'],
  GMB: ['The Gambia', 'Gambia (Republic of The)'],
  GNB: ['Guinea Bissau'],
  IRN: ['Iran', 'Islamic Republic of Iran', 'Iran, Islamic Republic of'],
  KNA: ['St Kitts & Nevis', 'Saint Kitts & Nevis', 'St Kitts and Nevis'],
  KOR: ['South Korea', 'Korea, Republic of', 'Korea (Republic of)', 'Korea'],
  LAO: ['Laos', 'Lao PDR', 'Lao', "Lao People's Democratic Republic"],
  LBY: ['Libyan Arab Jamahiriya'],
  LCA: ['St Lucia'],
  MDA: ['Moldova', 'Moldova, Republic of', 'Republic of Moldova'],
  MKD: ['Macedonia FYR', 'Macedonia', 'The former Yugoslav Republic of Macedonia', 'former Yugoslav Republic of Macedonia', 'FYR Macedonia', 'FYROM', 'Republic of North Macedonia'],
  MMR: ['Burma'],
  NLD: ['Netherlands (Kingdom of the)', 'Kingdom of the Netherlands', 'The Netherlands'],
  PRK: ['DPR Korea', 'DPRK', 'North Korea', "Korea, Democratic People's Republic of", "Korea (Democratic People's Republic of)"],
  PSE: ['Palestine', 'Palestine, State of', 'State of Palestine'],
  RUS: ['Russia'],
  STP: ['Sao Tome & Principe', 'São Tomé and Príncipe'],
  SVK: ['Slovak Republic'],
  KGZ: ['Kyrgyz Republic'],
  // A typo in the OHCHR matrix of China's second cycle (shared data, Matrix_recommendations_2013.docx).
  SLE: ['Sierra Le one'],
  SWZ: ['Swaziland', 'Kingdom of Eswatini', 'Kingdom of Swaziland'],
  SYR: ['Syria'],
  TLS: ['Timor Leste', 'East Timor'],
  TUR: ['Turkey'],
  TZA: ['Tanzania', 'Tanzania, United Republic of'],
  USA: ['United States', 'USA', 'U.S.A.', 'US', 'U.S.', 'United States of America (the)'],
  VAT: ['Holy See (Vatican City State)', 'Vatican', 'Vatican City'],
  VCT: ['St Vincent & the Grenadines', 'Saint Vincent & the Grenadines', 'St Vincent and the Grenadines'],
  VEN: ['Venezuela', 'Bolivarian Republic of Venezuela', 'Venezuela, Bolivarian Republic of'],
  VNM: ['Vietnam', 'Viet-Nam'],
  BRN: ['Brunei'],
};

const ARTICLE = /\s*\((the|le|la|les|l'|el|los|las)\)\s*$/;
const clean = (name) => name.replace(/\*/g, '').trim().replace(ARTICLE, '').trim();

function main() {
  const csvPath = process.argv[2];
  if (!csvPath) throw new Error('usage: node scripts/generate-state-seed.js path/to/country-codes.csv');
  const rows = parse(readFileSync(csvPath), { columns: true, bom: true });
  const states = [];
  const aliasCandidates = [];
  for (const row of rows) {
    const en = row['UNTERM English Short'];
    if (!en || en.includes('**')) continue;
    const alpha3 = row['ISO3166-1-Alpha-3'];
    states.push([alpha3, row['ISO3166-1-Alpha-2'], clean(en), clean(row['UNTERM French Short']), clean(row['UNTERM Spanish Short']), en.includes('*') ? 'observer' : 'member']);
    for (const column of ['UNTERM English Short', 'UNTERM French Short', 'UNTERM Spanish Short']) aliasCandidates.push([row[column].replace(/\*/g, '').trim(), alpha3]);
    const formal = row['UNTERM English Formal'].replace(/\*/g, '').trim().replace(/^the /, '');
    if (formal) aliasCandidates.push([formal, alpha3]);
  }
  states.push(...MISSING_FROM_DATASET);
  states.sort((a, b) => a[2].localeCompare(b[2], 'en'));
  const members = states.filter((s) => s[5] === 'member').length;
  const observers = states.filter((s) => s[5] === 'observer').length;
  if (members !== 193 || observers !== 2) throw new Error(`expected 193 member and 2 observer States, got ${members} and ${observers}`);

  for (const [alpha3, alpha2] of states) {
    if (countries.alpha2ToAlpha3(alpha2) !== alpha3) throw new Error(`${alpha2}/${alpha3}: i18n-iso-countries says ${countries.alpha2ToAlpha3(alpha2)}`);
    for (const locale of ['en', 'fr', 'es']) {
      for (const name of [countries.getNames(locale, { select: 'all' })[alpha2] ?? []].flat()) aliasCandidates.push([name, alpha3]);
    }
  }
  for (const [alpha3, names] of Object.entries(UN_AND_UPR_INFO_ALIASES)) for (const name of names) aliasCandidates.push([name, alpha3]);

  // Keys of the States' own names win; an alias key claimed by two States is dropped.
  const owner = new Map();
  for (const [alpha3, , en, fr, es] of states) for (const name of [en, fr, es]) owner.set(stateMatchKey(name), alpha3);
  const claims = new Map();
  for (const [alias, alpha3] of aliasCandidates) {
    const key = stateMatchKey(alias);
    if (owner.has(key)) continue;
    const claim = claims.get(key) ?? { alias, codes: new Set() };
    claim.codes.add(alpha3);
    claims.set(key, claim);
  }
  const aliases = [];
  const dropped = [];
  for (const { alias, codes } of claims.values()) {
    if (codes.size > 1) dropped.push(`${alias} (${[...codes].join(', ')})`);
    else aliases.push([alias, [...codes][0]]);
  }
  aliases.sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0], 'en'));
  const explicit = Object.values(UN_AND_UPR_INFO_ALIASES).flat().filter((name) => !owner.has(stateMatchKey(name)) && claims.get(stateMatchKey(name))?.codes.size > 1);
  if (explicit.length > 0) throw new Error(`hand-written aliases that name two States: ${explicit.join(', ')}`);

  const quote = (s) => (s.includes("'") ? JSON.stringify(s) : `'${s}'`);
  const out = `// Generated by scripts/generate-state-seed.js (see its header for the sources: UNTERM short names
// and ISO codes from datasets/country-codes, ISO names from i18n-iso-countries 7.14.0, spellings of
// the UPR Info export and of UN documents). The seed of the migration AddStates1795960100000; like
// the migration, never edited once landed: a later migration adds or corrects names.
// Left out as ambiguous (the key names two States): ${dropped.join('; ') || 'none'}.

/** [alpha-3, alpha-2, UN short name in English, French, Spanish, membership]: ${members} member States and ${observers} observer States. */
export const UN_STATES: readonly (readonly [string, string, string, string, string, 'member' | 'observer'])[] = [
${states.map((s) => `  [${s.slice(0, 5).map(quote).join(', ')}, '${s[5]}'],`).join('\n')}
];

/** [alias, alpha-3]: ${aliases.length} other spellings of the States above. */
export const STATE_ALIASES: readonly (readonly [string, string])[] = [
${aliases.map((a) => `  [${quote(a[0])}, '${a[1]}'],`).join('\n')}
];
`;
  writeFileSync(join(__dirname, '..', 'migrations', '1795960100000-states.data.ts'), out);
  console.log(`${states.length} States, ${aliases.length} aliases; dropped as ambiguous: ${dropped.join('; ') || 'none'}`);
}

main();
