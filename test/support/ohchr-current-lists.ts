// Real .docx files in the layout of OHCHR's current thematic lists of recommendations (fourth cycle,
// 2023 onward), built in the test: the shared matrices are the 2013 and 2018 layouts. A table with
// "Recommendation and recommending State" | "Position of the State under review" | "Human rights
// themes and groups of persons" | "Relevant SDGs", theme rows between the recommendations, and in
// the first cell the paragraph number, the text, the States in brackets, then a paragraph "; Source
// of Position: ...". The ZIP is written by hostile-files.ts's writer (no library needed).
import { docx } from './hostile-files';

export type CurrentColumn = 'recommendation' | 'position' | 'themes' | 'sdgs';

export const CURRENT_HEADERS: Record<CurrentColumn, string> = {
  recommendation: 'Recommendation and recommending State',
  position: 'Position of the State under review',
  themes: 'Human rights themes and groups of persons',
  sdgs: 'Relevant SDGs',
};

export interface CurrentRecommendation {
  paragraph: string;
  text: string;
  /** What follows the text in the same paragraph, brackets included: "(Chile; Côte d'Ivoire)". */
  states: string;
  /** "A/HRC/52/11/Add.1 - Para.3"; absent: no source paragraph. */
  source?: string;
  position: string;
  themes: string[];
  groups: string[];
  /** "- 5 - GENDER EQUALITY" paragraphs; undefined: the row has no SDG cell at all. */
  sdgs?: string[];
}

export type CurrentRow = { theme: string } | CurrentRecommendation;

export interface CurrentList {
  /** A title paragraph above the table, e.g. "UPR of Chile (4th Cycle – 46th session)". */
  title?: string;
  /** The columns, in the order the table has them (default: the usual order). */
  columns?: CurrentColumn[];
  /** Header texts, default CURRENT_HEADERS; "\n" in one is written as a paragraph break in the cell. */
  headers?: Partial<Record<CurrentColumn, string>>;
  /** Theme rows as one cell spanning the table (w:gridSpan, the default) or as a first cell and empty ones. */
  themeRows?: 'merged' | 'first-cell';
  /** "Groups of Persons:" (default) or "Affected persons:". */
  groupsLabel?: string;
  rows: CurrentRow[];
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Word splits text into runs wherever the formatting or the edit history changes: so do we, in the middle of words. */
const runs = (text: string) => {
  const cut = Math.floor(text.length / 2);
  return [text.slice(0, cut), text.slice(cut)].filter(Boolean)
    .map((piece, i) => `<w:r w:rsidR="00A1${i}"><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">${escape(piece)}</w:t></w:r>`).join('');
};
const paragraph = (text: string) => `<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>${runs(text)}</w:p>`;
const cell = (paragraphs: string[], span = 1) =>
  `<w:tc><w:tcPr><w:tcW w:w="2400" w:type="dxa"/>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}</w:tcPr>${(paragraphs.length ? paragraphs : ['']).map(paragraph).join('')}</w:tc>`;
const row = (cells: string[], header = false) => `<w:tr>${header ? '<w:trPr><w:tblHeader/></w:trPr>' : ''}${cells.join('')}</w:tr>`;

function cellsOf(recommendation: CurrentRecommendation, label: string): Partial<Record<CurrentColumn, string[]>> {
  return {
    recommendation: [
      `${recommendation.paragraph} ${recommendation.text} ${recommendation.states}`,
      ...(recommendation.source ? [`; Source of Position: ${recommendation.source}`] : []),
    ],
    position: [recommendation.position],
    themes: [...recommendation.themes, ...(recommendation.groups.length ? [label, ...recommendation.groups] : [])],
    sdgs: recommendation.sdgs,
  };
}

/** The list as a .docx file. */
export function currentThematicList(list: CurrentList): Buffer {
  const columns = list.columns ?? ['recommendation', 'position', 'themes', 'sdgs'];
  const headers = { ...CURRENT_HEADERS, ...list.headers };
  const grid = `<w:tblGrid>${columns.map(() => '<w:gridCol w:w="2400"/>').join('')}</w:tblGrid>`;
  const body = list.rows.map((item) => {
    if ('theme' in item) {
      return list.themeRows === 'first-cell'
        ? row(columns.map((_, i) => cell(i === 0 ? [`Theme: ${item.theme}`] : [])))
        : row([cell([`Theme: ${item.theme}`], columns.length)]);
    }
    const cells = cellsOf(item, list.groupsLabel ?? 'Groups of Persons:');
    // Missing cells at the end are left out of the row, as when a row has fewer cells than the grid;
    // one before a present cell is written empty, or the cells after it would move.
    const last = Math.max(...columns.map((column, i) => (cells[column] === undefined ? -1 : i)));
    return row(columns.slice(0, last + 1).map((column) => cell(cells[column] ?? [])));
  });
  const table = `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>${grid}${row(columns.map((column) => cell(headers[column].split('\n'))), true)}${body.join('')}</w:tbl>`;
  return docx(`${list.title ? paragraph(list.title) : ''}${paragraph('Thematic list of recommendations')}${table}<w:sectPr/>`);
}
