import { inflateRawSync, constants } from 'node:zlib';
import type { ImportFormat } from '../import-record';
import { TEMPLATE_COLUMNS } from './template-csv.parser';
import { UPR_INFO_COLUMNS } from './upr-info-csv.parser';

const EXPECTED = 'a UPR Info CSV export (header To,To-Rgrp,To-Org,Text,...), the CSV template (header state_under_review,...,text,...), a UHRI export (.xlsx) or an OHCHR matrix (.docx)';

/** Template columns no other CSV has: "text" or "session" alone say nothing, "state_under_review" does. */
const TEMPLATE_ONLY_COLUMNS = TEMPLATE_COLUMNS.filter((name) => name.includes('_'));

/**
 * The format of an import file from its name and first bytes (8 KB is plenty). DOCX and XLSX are
 * both ZIP files: the [Content_Types].xml entry, which Office writes first, says which; failing
 * that, the entry names and then the file name. CSV files are told apart by their header.
 */
export function detectFormat(fileName: string, firstBytes: Buffer): ImportFormat {
  if (firstBytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return zipFormat(fileName, firstBytes);
  if (firstBytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new Error(`${fileName}: an old binary Word or Excel file (.doc, .xls); save it as .docx or .xlsx, or export it as CSV. Expected ${EXPECTED}`);
  }
  const names = headerNames(firstBytes);
  if (UPR_INFO_COLUMNS.filter((name) => names.has(name.toLowerCase())).length >= 4) return 'upr-info-csv';
  if (TEMPLATE_ONLY_COLUMNS.some((name) => names.has(name))) return 'csv';
  const seen = [...names].slice(0, 6).join(',');
  throw new Error(`${fileName}: not a file this import reads${seen ? ` (its first line has ${seen})` : ''}; expected ${EXPECTED}`);
}

function zipFormat(fileName: string, firstBytes: Buffer): ImportFormat {
  const text = (contentTypes(firstBytes) ?? '') + firstBytes.toString('latin1');
  if (/wordprocessingml\.document|word\/document\.xml/.test(text)) return 'ohchr-docx';
  if (/spreadsheetml\.sheet|xl\/workbook\.xml/.test(text)) return 'uhri-xlsx';
  if (/\.docx$/i.test(fileName)) return 'ohchr-docx';
  if (/\.xlsx$/i.test(fileName)) return 'uhri-xlsx';
  throw new Error(`${fileName}: a ZIP file that is neither a Word (.docx) nor an Excel (.xlsx) document; expected ${EXPECTED}`);
}

/** The text of the first ZIP entry when it is [Content_Types].xml and fits in the bytes given. */
function contentTypes(zip: Buffer): string | undefined {
  if (zip.length < 30) return undefined;
  const method = zip.readUInt16LE(8);
  const nameLength = zip.readUInt16LE(26);
  const start = 30 + nameLength + zip.readUInt16LE(28);
  if (zip.toString('latin1', 30, 30 + nameLength) !== '[Content_Types].xml') return undefined;
  const data = zip.subarray(start);
  if (method === 0) return data.toString('utf8');
  if (method !== 8) return undefined;
  try {
    // The compressed size may be unknown here (written after the data), so inflate what there is.
    return inflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The names in the first line, lower-cased, whatever the line end and with any BOM dropped. */
function headerNames(firstBytes: Buffer): Set<string> {
  const firstLine = firstBytes.toString('latin1').replace(/^\xef\xbb\xbf/, '').split(/\r\n|\r|\n/)[0];
  return new Set(firstLine.split(/[,;\t]/).map((name) => name.trim().replace(/^"|"$/g, '').trim().toLowerCase()).filter(Boolean));
}
