/** First characters that make Excel, LibreOffice and Google Sheets read a cell as a formula: = + - @ tab CR. */
const FORMULA_STARTS = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]);

/**
 * A cell a spreadsheet will show as text, never run: a cell that starts with = + - or @ (or a tab
 * or carriage return before one) is read as a formula, so a recommendation text such as
 * "=HYPERLINK(...)" could run when a member opens the export (CSV injection, OWASP). A leading
 * apostrophe makes it text.
 */
export function spreadsheetSafe(value: string): string {
  return FORMULA_STARTS.has(value.charCodeAt(0)) ? `'${value}` : value;
}
