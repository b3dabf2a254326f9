/**
 * Packages that take a noticeable part of a start to load (exceljs about 0.4 s) and that only some
 * requests use: loaded by the first that needs them, so that the server and every command-line run
 * start without them.
 */
export async function loadExcelJs(): Promise<typeof import('exceljs')> {
  const loaded = await import('exceljs');
  // exceljs is CommonJS: the namespace's `default` is the module itself.
  return (loaded as unknown as { default?: typeof import('exceljs') }).default ?? loaded;
}
