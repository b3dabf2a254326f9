import { INestApplicationContext } from '@nestjs/common';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { stat } from 'node:fs/promises';
import { UsersService } from '../accounts/users.service';
import { IMPORT_FORMATS, type ImportFormat } from '../imports/import-record';
import { fileSource } from '../imports/import-source';
import { formatSummary } from '../imports/import-summary';
import { ImportsService } from '../imports/imports.service';
import { CliError } from './cli-error';

type Boot = () => Promise<INestApplicationContext>;

/** `import FILE …`: the same import as POST /api/v1/imports, with a progress bar on a terminal. */
export function registerImportCommand(program: Command, boot: Boot, print: (line: string) => void): void {
  program
    .command('import')
    .description('Import recommendations from a UPR Info CSV, a UHRI XLSX, an OHCHR DOCX matrix or the project CSV template')
    .argument('<file>', 'the file to import')
    .addOption(new Option('--format <format>', 'the file format').choices(['auto', ...IMPORT_FORMATS]).default('auto'))
    .option('--cycle <id>', 'put everything into this cycle (default: find or create one per State under Review and session)')
    .option('--coalition <name>', 'the coalition to import into; needed when there are several')
    .option('--dry-run', 'show what would be created, updated and rejected, and write nothing')
    .option('--partial', 'import the good rows even if some rows are bad (default: all or nothing)')
    .option('--json', 'print the summary as one JSON object on standard output')
    .action(async (file: string, options: { format: ImportFormat | 'auto'; cycle?: string; coalition?: string; dryRun?: boolean; partial?: boolean; json?: boolean }) => {
      const size = await stat(file).then((s) => s.size).catch(() => {
        throw new CliError(`${file}: no such file`);
      });
      const cycleId = options.cycle === undefined ? undefined : Number(options.cycle);
      if (cycleId !== undefined && (!Number.isSafeInteger(cycleId) || cycleId < 1)) throw new CliError('--cycle: must be a cycle id (a positive whole number)');
      const app = await boot();
      const coalitionId = await coalitionFor(app, options.coalition);
      const bar = process.stderr.isTTY && !options.json ? new SingleBar({ format: 'importing [{bar}] {percentage}% | {value}/{total} bytes', stream: process.stderr }) : undefined;
      bar?.start(size, 0);
      try {
        const summary = await app.get(ImportsService).run(
          fileSource(file),
          { coalitionId, format: options.format, cycleId, dryRun: Boolean(options.dryRun), partial: Boolean(options.partial), onProgress: (done) => bar?.update(Math.min(done, size)) },
        );
        bar?.update(size);
        bar?.stop();
        print(options.json ? JSON.stringify(summary) : formatSummary(summary));
        if (!summary.committed && !summary.dryRun) process.exitCode = 1;
      } finally {
        bar?.stop();
      }
    });
}

/** The coalition a command works on: the one named, or the only one. */
export async function coalitionFor(app: INestApplicationContext, name?: string): Promise<number> {
  const coalitions = await app.get(UsersService).listCoalitions();
  if (name) {
    const found = coalitions.find((c) => c.name === name.trim());
    if (!found) throw new CliError(`--coalition: no coalition is named "${name}" (there are: ${coalitions.map((c) => c.name).join(', ') || 'none'})`);
    return found.id;
  }
  if (coalitions.length === 1) return coalitions[0].id;
  if (coalitions.length === 0) throw new CliError('No coalition yet: create the first admin with "user create … --coalition NAME" first');
  throw new CliError(`--coalition: several coalitions exist (${coalitions.map((c) => c.name).join(', ')}); say which`);
}
