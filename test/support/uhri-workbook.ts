import ExcelJS from 'exceljs';

/** The header of the Universal Human Rights Index export, as the UN spells it ("Reccomending"). */
export const UHRI_HEADER = [
  'Text', 'Countries Concerned', 'Reccomending Body', 'Document Symbol', 'Themes', 'Affected Persons', 'Sdgs',
  'Document Publication Date', 'UPR Reccomending States', 'UPR Position', 'Type', 'OHCHR Annotation Id', 'UPR Session',
  'Regions Concerned', 'Recommending Regions', 'Date of publication on UHRI',
] as const;

export type UhriRow = Partial<Record<(typeof UHRI_HEADER)[number], string | number>>;

/** A UPR recommendation to Chile (session 32) as the export gives it. */
export const UHRI_UPR_ROW: UhriRow = {
  Text: '125.1 Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights',
  'Countries Concerned': '- Chile', 'Reccomending Body': '- UPR', 'Document Symbol': 'A/HRC/41/6', Themes: '- A12 Acceptance of international norms',
  'Document Publication Date': 43788, 'UPR Reccomending States': '- Portugal', 'UPR Position': 'Supported', Type: 'Recommendations',
  'OHCHR Annotation Id': 'a1b2c3', 'UPR Session': '32', 'Regions Concerned': '- GRULAC', 'Recommending Regions': '- WEOG', 'Date of publication on UHRI': 44012,
};

/** A treaty body's recommendation to Chile: no UPR session, position or recommending State. */
export const UHRI_TREATY_BODY_ROW: UhriRow = {
  Text: 'The Committee recommends that the State party adopt a comprehensive law on violence against women',
  'Countries Concerned': '- Chile', 'Reccomending Body': '- CEDAW', 'Document Symbol': 'CEDAW/C/CHL/CO/7', Themes: '- B52 Violence against women',
  'Affected Persons': '- women', 'Document Publication Date': 43500, Type: 'Recommendations', 'OHCHR Annotation Id': 'd4e5f6',
  'Regions Concerned': '- GRULAC', 'Date of publication on UHRI': 43600,
};

/** A UHRI export workbook (one sheet, the header, then the rows), built with exceljs. */
export async function uhriWorkbook(rows: UhriRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Export');
  sheet.addRow([...UHRI_HEADER]);
  for (const row of rows) sheet.addRow(UHRI_HEADER.map((column) => row[column] ?? ''));
  return Buffer.from(await book.xlsx.writeBuffer());
}
