/**
 * Packages that take a noticeable part of a start to load (exceljs about 0.4 s) and that only some
 * requests use: loaded by the first that needs them, so that command-line runs start without them.
 * The server loads them before it listens (main.ts), so that no request waits while they load.
 */
export async function loadExcelJs(): Promise<typeof import('exceljs')> {
  const loaded = await import('exceljs');
  // exceljs is CommonJS: the namespace's `default` is the module itself.
  return (loaded as unknown as { default?: typeof import('exceljs') }).default ?? loaded;
}
