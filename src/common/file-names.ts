import { create } from 'content-disposition';

/** Longest file name kept (the `evidence.file_name` column holds 255 characters). */
export const FILE_NAME_MAX_LENGTH = 255;
/** A longer "extension" is part of the name: shortening keeps at most this much after the last dot. */
const EXTENSION_MAX_LENGTH = 16;

/**
 * Removed from names: control characters (C0, DEL, C1) and the invisible bidirectional controls,
 * which make `invoice‮fdp.exe` read as `invoiceexe.pdf`.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A client's file name as the person wrote it, made harmless to show and to send back: only the
 * base name (no folders), no control characters, composed Unicode (macOS sends decomposed names),
 * at most 255 characters with the extension kept. It is shown and sent, never used as a path.
 */
export function cleanFileName(name: string, fallback = 'file'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(INVISIBLE, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return fallback;
  return shorten(cleaned);
}

/** Cut in the middle, counting characters (code points, as the database does), so `report.pdf` stays a `.pdf`. */
function shorten(name: string): string {
  const characters = Array.from(name);
  if (characters.length <= FILE_NAME_MAX_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && Array.from(name.slice(dot)).length <= EXTENSION_MAX_LENGTH ? Array.from(name.slice(dot)) : [];
  return [...characters.slice(0, FILE_NAME_MAX_LENGTH - extension.length), ...extension].join('').trimEnd();
}

/**
 * The Content-Disposition header of a download named `fileName`, whatever its characters: an
 * ASCII `filename` for old clients and, when that is not the name itself, `filename*` (RFC 8187,
 * UTF-8) with the real one. A header may carry ASCII only: `报告.txt` written as it is makes Node
 * refuse the header (ERR_INVALID_CHAR) and the download fail.
 */
export function contentDisposition(fileName: string, type: 'attachment' | 'inline' = 'attachment'): string {
  return create(fileName, { type, fallback: asciiFallback(fileName) });
}

/**
 * Accents dropped (`résumé` → `resume`), any other non-ASCII character as `_`, and `%` and `"`
 * too: some browsers decode a `%41` in `filename`, and a quote ends it early in others. Such a
 * name then also goes in `filename*`, exactly.
 */
function asciiFallback(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|[%"]/g, '_');
}
