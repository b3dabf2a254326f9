import ExcelJS from 'exceljs';
import fc from 'fast-check';
import JSZip from 'jszip';
import { Readable } from 'node:stream';
import { IMPORT_FORMATS, type ImportFormat, type ParsedRow } from '../src/imports/import-record';
import { detectFormat, parserFor } from '../src/imports/parsers';
import { TEMPLATE_COLUMNS } from '../src/imports/parsers/template-csv.parser';
import { UPR_INFO_COLUMNS } from '../src/imports/parsers/upr-info-csv.parser';
import { RESPONSES } from '../src/vocabulary/recommendation.vocabulary';
import { rowCounts, tableNames } from './support/database-snapshot';
import { HOSTILE_STRINGS, propertyParameters } from './support/property-runs';
import { createTestApp, TestApp, TestUser } from './support/test-app';

/**
 * Property: any bytes, and any damage to a well-formed file, in any of the four import formats,
 * either parse into well-formed rows and row problems or fail with an Error that says why; through
 * POST /api/v1/imports the answer is never a 5xx and a refused or dry-run import writes nothing.
 * Replay a failure with the seed and path it prints (see test/support/property-runs.ts).
 */
const PARSER_RUNS = 25;
const API_RUNS = 30;
/** A parser that has not finished by then is stuck (the files here are a few kilobytes). */
const PARSE_TIMEOUT_MS = 15_000;

const UHRI_HEADER = [
  'Text', 'Countries Concerned', 'Reccomending Body', 'Document Symbol', 'Themes', 'Affected Persons', 'Sdgs',
  'Document Publication Date', 'UPR Reccomending States', 'UPR Position', 'Type', 'OHCHR Annotation Id', 'UPR Session',
  'Regions Concerned', 'Recommending Regions', 'Date of publication on UHRI',
];

/** Cell text: realistic words, the hostile strings, and anything at all. */
const cellText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Chile', 'Iran (Islamic Republic of)', 'Ratify the Optional Protocol', 'supported', 'noted', 'Accepted', '32', '3', '16', '5', '- Portugal\n- Chile', 'A12 Acceptance of international norms', '125.1', '') },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }) },
);

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const csvOf = (header: readonly string[], rows: string[][]) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
/** XML 1.0 cannot carry control characters or lone surrogates at all: left out of the files built here. */
const xmlSafe = (text: string) => text.replace(/[^\t\n\r\x20-\ud7ff\ue000-\ufffd]/g, '');
const xmlEscape = (text: string) => xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What a file is made from, before damage: a well-formed file of one format, or bytes. */
type Ingredients =
  | { kind: 'csv' | 'upr-info-csv'; header: string[]; rows: string[][] }
  | { kind: 'uhri-xlsx'; header: string[]; rows: (string | number)[][] }
  | { kind: 'ohchr-docx'; heading: string; rows: string[][]; rawXml: string | null }
  | { kind: 'bytes'; bytes: Uint8Array };

interface Damage {
  flips: { at: number; byte: number }[];
  truncateAt: number | null;
}

/** A plausible value per column (what a real export holds), so that most rows get past the parser. */
const words = fc.constantFrom('Ratify the Optional Protocol', 'Abolish the death penalty', 'Protect human rights defenders', 'Adopt a law against torture');
const REALISTIC: Record<string, fc.Arbitrary<string | number>> = {
  state_under_review: fc.constantFrom('Chile', 'Peru'), cycle: fc.constantFrom('3', '', '4'), session: fc.constantFrom('32', '', '45'),
  document_symbol: fc.constantFrom('A/HRC/41/6', ''), paragraph: fc.nat(200).map((n) => `125.${n}`), text: fc.tuple(words, fc.nat(9999)).map(([w, n]) => `${w} ${n}`),
  recommending_states: fc.constantFrom('Portugal', 'France;Iran (Islamic Republic of)', ''), response: fc.constantFrom(...RESPONSES, ''),
  themes: fc.constantFrom('A12 Acceptance of international norms', 'D23 Death penalty;B31 Equality', ''), affected_persons: fc.constantFrom('women;children', ''),
  sdgs: fc.constantFrom('5', 'SDG 16', '1;17', ''), action_category: fc.constantFrom('1', '5', ''),
  To: fc.constantFrom('Chile', 'Peru'), 'To-Rgrp': fc.constant('GRULAC'), 'To-Org': fc.constant(''), Text: fc.tuple(words, fc.nat(9999)).map(([w, n]) => `${w} ${n}`),
  From: fc.constantFrom('Portugal', 'France'), 'From-Rgrp': fc.constant('WEOG'), 'From-Org': fc.constant(''), Response: fc.constantFrom('Accepted', 'Noted', 'Not Supported'),
  Action: fc.constantFrom('1', '4', '5'), Issue: fc.constantFrom("Women's rights", 'Death penalty'), Session: fc.constantFrom('32', '9'),
  'Countries Concerned': fc.constantFrom('- Chile', '- Chile\n- Peru'), 'Reccomending Body': fc.constant('- UPR'), 'Document Symbol': fc.constant('A/HRC/41/6'),
  Themes: fc.constantFrom('- A12 Acceptance of international norms', ''), 'Affected Persons': fc.constantFrom('- general', ''), Sdgs: fc.constantFrom('- 5 - Gender equality', ''),
  'Document Publication Date': fc.constant(43788), 'UPR Reccomending States': fc.constantFrom('- Portugal', '- Portugal\n- France'),
  'UPR Position': fc.constantFrom('Supported', 'Noted', 'Supported/Noted', ''), Type: fc.constantFrom('Recommendations', 'Concerns/Observations'),
  'OHCHR Annotation Id': fc.uuid(), 'UPR Session': fc.constantFrom('34', ''), 'Regions Concerned': fc.constant('- GRULAC'), 'Recommending Regions': fc.constant('- WEOG'),
  'Date of publication on UHRI': fc.constant(44012),
  Recommendation: fc.tuple(words, fc.nat(99)).map(([w, n]) => `90.${n}. ${w} (Portugal);`), Position: fc.constantFrom('Supported', 'Noted', ''),
  'Full list of themes': fc.constantFrom('D23 Death penalty', 'A12 Acceptance of international norms\nAffected persons:\n- general'),
  'Recommending State/s': fc.constantFrom('Portugal', 'France, Chile'),
};
/** Own keys only: a junk header such as "constructor" or "toString" must not pick up Object.prototype's. */
const realisticFor = (column: string): fc.Arbitrary<unknown> => (Object.hasOwn(REALISTIC, column) ? REALISTIC[column] : cellText);
/** Rows under a header: mostly plausible values, now and then a hostile one, sometimes too few or too many cells. */
const rowsUnder = (header: string[]) =>
  fc.array(
    fc.tuple(
      fc.tuple(...header.map((column) => fc.oneof({ weight: 6, arbitrary: realisticFor(column) }, { weight: 1, arbitrary: cellText }))),
      fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 2 }) }),
    ).map(([cells, change]) => (change < 0 ? cells.slice(0, change) : [...cells, ...Array(change).fill('extra')])),
    { maxLength: 6 },
  );
/** A header that is mostly right: the real columns, sometimes shuffled, one dropped or one junk. */
const headerOf = (columns: readonly string[]) =>
  fc
    .tuple(fc.shuffledSubarray([...columns], { minLength: Math.max(1, columns.length - 1) }), fc.option(cellText, { nil: undefined, freq: 4 }), fc.boolean())
    .map(([shuffled, junk, keepOrder]) => {
      const header = keepOrder ? [...columns] : shuffled;
      return junk === undefined ? header : [...header, String(junk)];
    });
const tableOf = <K extends string>(kind: K, columns: readonly string[]) =>
  headerOf(columns).chain((header) => rowsUnder(header).map((rows) => ({ kind, header, rows })));

const RECIPES: Record<ImportFormat | 'bytes', fc.Arbitrary<Ingredients>> = {
  csv: tableOf('csv' as const, TEMPLATE_COLUMNS).map((r) => ({ ...r, rows: r.rows.map((row) => row.map(String)) })),
  'upr-info-csv': tableOf('upr-info-csv' as const, UPR_INFO_COLUMNS).map((r) => ({ ...r, rows: r.rows.map((row) => row.map(String)) })),
  'uhri-xlsx': tableOf('uhri-xlsx' as const, UHRI_HEADER),
  'ohchr-docx': fc.record({
    kind: fc.constant('ohchr-docx' as const),
    heading: fc.oneof(fc.constant('UPR of Chile (3rd Cycle – 32nd session)'), cellText),
    rows: fc
      .constantFrom<string[]>(['Recommendation', 'Position', 'Full list of themes'], ['Recommendation', 'Recommending State/s', 'Position', 'Full list of themes'])
      .chain((header) => rowsUnder(header).map((rows) => [header, ...rows.map((row) => row.map(String))])),
    rawXml: fc.option(fc.constantFrom('<w:tbl><w:tr><w:tc>', '</w:p></w:body>', '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;</x>', '<w:t>&#0;</w:t>', ']]>'), { nil: null, freq: 5 }),
  }),
  bytes: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 2048 }) }),
};
const anyRecipe = fc.oneof(...Object.values(RECIPES));
/** Mostly files of this format (so the parser gets past the first bytes), sometimes anything. */
const recipeFor = (format: ImportFormat) => fc.oneof({ weight: 4, arbitrary: RECIPES[format] }, { weight: 1, arbitrary: anyRecipe });

const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Damage>({ flips: [], truncateAt: null }) },
  { weight: 3, arbitrary: fc.record({ flips: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }), truncateAt: fc.option(fc.nat(), { nil: null }) }) },
);

async function build(recipe: Ingredients): Promise<Buffer> {
  switch (recipe.kind) {
    case 'csv':
    case 'upr-info-csv':
      return Buffer.from(csvOf(recipe.header, recipe.rows), 'utf8');
    case 'uhri-xlsx': {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Export');
      sheet.addRow(recipe.header);
      for (const row of recipe.rows) sheet.addRow(row.map((v) => (typeof v === 'string' ? xmlSafe(v) : v)));
      return Buffer.from(await book.xlsx.writeBuffer());
    }
    case 'ohchr-docx': {
      const cell = (text: string) => `<w:tc><w:p><w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p></w:tc>`;
      const table = `<w:tbl>${recipe.rows.map((r) => `<w:tr>${r.map(cell).join('')}</w:tr>`).join('')}</w:tbl>`;
      const zip = new JSZip();
      zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
      zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${xmlEscape(recipe.heading)}</w:t></w:r></w:p>${table}${recipe.rawXml ?? ''}</w:body></w:document>`);
      return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    }
    case 'bytes':
      return Buffer.from(recipe.bytes);
  }
}

function damaged(file: Buffer, d: Damage): Buffer {
  const copy = Buffer.from(file);
  for (const { at, byte } of d.flips) if (copy.length > 0) copy[at % copy.length] = byte;
  return d.truncateAt === null || copy.length === 0 ? copy : copy.subarray(0, d.truncateAt % (copy.length + 1));
}

/** Every row of the file, or the Error the parser threw; a parser that hangs fails the property. */
async function parseAll(format: ImportFormat, file: Buffer): Promise<{ rows: ParsedRow[]; error?: unknown }> {
  const rows: ParsedRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  const parser = parserFor(format);
  const work = (async () => {
    for await (const row of parser.parse(Readable.from([file]))) rows.push(row);
  })();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HUNG: the ${format} parser did not finish in ${PARSE_TIMEOUT_MS} ms`)), PARSE_TIMEOUT_MS);
  });
  try {
    await Promise.race([work, timeout]);
    return { rows };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('HUNG')) throw error;
    return { rows, error };
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}

/** What the import writes must hold for every record a parser yields, whatever the file. */
function expectWellFormed(rows: ParsedRow[]): void {
  for (const row of rows) {
    if (row.problem) {
      expect(row.problem).toEqual(expect.objectContaining({ line: expect.any(Number), problem: expect.any(String) }));
      expect(row.problem.problem.length).toBeGreaterThan(0);
      continue;
    }
    const r = row.record;
    expect(Number.isInteger(r.line) && r.line > 0).toBe(true);
    expect(typeof r.text).toBe('string');
    expect(typeof r.stateUnderReview).toBe('string');
    expect(RESPONSES).toContain(r.response);
    for (const list of [r.recommendingStates, r.themes, r.affectedPersons]) for (const v of list) expect(typeof v).toBe('string');
    for (const sdg of r.sdgs) expect(Number.isInteger(sdg) && sdg >= 1 && sdg <= 17).toBe(true);
    expect(r.actionCategory === null || (Number.isInteger(r.actionCategory) && r.actionCategory >= 1 && r.actionCategory <= 5)).toBe(true);
    expect(r.cycleNumber === null || Number.isInteger(r.cycleNumber)).toBe(true);
  }
}

describe('bad input, property-based: the import parsers', () => {
  // The properties accept an Error for a damaged file: this proves an undamaged one is still read.
  it.each([
    ['csv', { kind: 'csv', header: [...TEMPLATE_COLUMNS], rows: [['Chile', '3', '32', 'A/HRC/41/6', '125.1', 'Ratify the Optional Protocol', 'Portugal', 'supported', 'D23 Death penalty', 'women', '5', '4']] }],
    ['upr-info-csv', { kind: 'upr-info-csv', header: [...UPR_INFO_COLUMNS], rows: [['Chile', 'GRULAC', '', 'Ratify the Optional Protocol', 'Portugal', 'WEOG', '', 'Accepted', '4', 'Death penalty', '32']] }],
    ['uhri-xlsx', { kind: 'uhri-xlsx', header: UHRI_HEADER, rows: [['125.1 Ratify the Optional Protocol', '- Chile', '- UPR', 'A/HRC/41/6', '', '', '', 43788, '- Portugal', 'Supported', 'Recommendations', 'x', '32', '', '', 44012]] }],
    ['ohchr-docx', { kind: 'ohchr-docx', heading: 'UPR of Chile (3rd Cycle – 32nd session)', rows: [['Recommendation', 'Position', 'Full list of themes'], ['90.1. Ratify the Optional Protocol (Portugal);', 'Supported', 'D23 Death penalty']], rawXml: null }],
  ] as [ImportFormat, Ingredients][])('should read an undamaged %s file into records', async (format, recipe) => {
    const { rows, error } = await parseAll(format, await build(recipe));
    expect({ error: error === undefined ? null : String(error), records: rows.filter((r) => r.record).length }).toEqual({ error: null, records: 1 });
  });

  it.each(IMPORT_FORMATS.map((f) => [f]))('should give well-formed rows or an Error with a message, never hang, when %s reads any file', async (format) => {
    await fc.assert(
      fc.asyncProperty(recipeFor(format), damage, async (recipe, d) => {
        const file = damaged(await build(recipe), d);
        const { rows, error } = await parseAll(format, file);
        if (error !== undefined) {
          // The import turns an Error into a 400 naming the file; anything else would be a 500.
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message.length).toBeGreaterThan(0);
        }
        expectWellFormed(rows);
      }),
      propertyParameters(PARSER_RUNS),
    );
  });

  it('should recognise a format or say what it expected, for any first bytes', async () => {
    await fc.assert(
      fc.asyncProperty(anyRecipe, damage, fc.constantFrom('upload', 'data.csv', 'export.xlsx', 'matrix.docx', '../../x.csv', 'a\u0000b.csv'), async (recipe, d, name) => {
        const head = damaged(await build(recipe), d).subarray(0, 8192);
        try {
          expect(IMPORT_FORMATS).toContain(detectFormat(name, head));
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).message).toContain(name);
        }
      }),
      propertyParameters(PARSER_RUNS * 2),
    );
  });
});

describe('bad input, property-based: POST /api/v1/imports', () => {
  let t: TestApp;
  let admin: TestUser;
  let cycleId: number;
  let tables: string[];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createUser('admin', 'Coalition A');
    cycleId = (await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 3, stateUnderReview: 'Chile' }).expect(201)).body.id;
    tables = await tableNames(t.dataSource);
  });
  afterAll(async () => t?.close());

  const options = fc.record(
    {
      format: fc.oneof({ weight: 4, arbitrary: fc.constant('auto') }, { weight: 1, arbitrary: fc.constantFrom(...IMPORT_FORMATS, 'pdf') }),
      cycleId: fc.constantFrom('own', 'own', '999999', 'abc'),
      dryRun: fc.constantFrom('true', 'false', 'false', 'yes'),
      partial: fc.constantFrom('true', 'false'),
    },
    { requiredKeys: [] },
  );
  const fileName = fc.oneof(
    fc.constantFrom('chile.csv', 'export.xlsx', 'matrix.docx', '../../../etc/passwd', '..\\..\\boot.ini', 'x\r\nContent-Type: text/html.csv', '<script>alert(1)</script>.csv', '.csv', 'ü.csv'),
    fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/["\\\r\n]/.test(s)),
  );

  it('should never answer 5xx, and write nothing when it refuses or only dry-runs, whatever the file', async () => {
    await fc.assert(
      fc.asyncProperty(anyRecipe, damage, options, fileName, async (recipe, d, opts, name) => {
        const file = damaged(await build(recipe), d);
        const before = await rowCounts(t.dataSource, tables);
        let req = t.http.post('/api/v1/imports').set('Authorization', admin.auth);
        for (const [field, value] of Object.entries(opts)) req = req.field(field, value === 'own' ? String(cycleId) : value);
        const res = await req.attach('file', file, { filename: name, contentType: 'application/octet-stream' });
        expect({ status: res.status, body: res.body }).toEqual({ status: res.status < 500 ? res.status : 'below 500', body: res.body });
        expect([201, 400, 404, 409, 413, 422]).toContain(res.status);
        if (res.status !== 201 || res.body.dryRun) {
          expect(await rowCounts(t.dataSource, tables)).toEqual(before);
        } else {
          expect(res.body).toEqual(expect.objectContaining({ committed: true, rows: expect.any(Number), problems: expect.any(Array) }));
          if (opts.partial !== 'true') expect(res.body.problems).toEqual([]);
        }
        if (res.status >= 400) expect(res.body).toEqual(expect.objectContaining({ statusCode: res.status, message: expect.any(String) }));
      }),
      propertyParameters(API_RUNS),
    );
  }, 180_000);
});
