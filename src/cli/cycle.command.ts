import { BadRequestException, ConflictException, INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { CloseCycleDto } from '../cycle-close/cycle-close.dto';
import { CycleCloseService } from '../cycle-close/cycle-close.service';
import { CreateCycleDto } from '../cycles/cycles.dto';
import { CyclesRepository } from '../cycles/cycles.repository';
import { CyclesService } from '../cycles/cycles.service';
import { coalitionFor } from './import.command';
import { CliError, describeError, validateInput } from './cli-error';
import { parseId } from './parse-id';
import { cycleLabel } from '../vocabulary/cycle.vocabulary';

type Boot = () => Promise<INestApplicationContext>;

const OPTION_OF: Record<string, string> = {
  force: '--force',
  nextCycle: '--next-number',
  'nextCycle.number': '--next-number',
  'nextCycle.session': '--next-session',
  'nextCycle.reviewDate': '--next-review-date',
  'nextCycle.documentSymbol': '--next-document-symbol',
};

interface CloseOptions {
  force?: boolean;
  nextNumber?: string;
  nextSession?: string;
  nextReviewDate?: string;
  nextDocumentSymbol?: string;
}

const CREATE_OPTION_OF: Record<string, string> = {
  number: '--number', stateUnderReview: '--state', mechanism: '--mechanism', session: '--session', reviewDate: '--review-date', participation: '--participation',
};

interface CreateOptions {
  number: string;
  state: string;
  mechanism?: string;
  session?: string;
  reviewDate?: string;
  participation?: string;
  coalition?: string;
}

/**
 * `cycle create --number N --state NAME …`: the same create as POST /api/v1/cycles (the State as its
 * canonical name, an unknown one refused with the closest States); `cycle close ID [--force]`: the
 * same close as POST /api/v1/cycles/:id/close.
 */
export function registerCycleCommands(program: Command, boot: Boot, print: (line: string) => void): void {
  const cycle = program.command('cycle').description('Review cycles');
  cycle
    .command('create')
    .description('Create a review cycle of a State (any spelling, alias or ISO code of the State is stored as its UN name)')
    .requiredOption('--number <number>', 'the cycle number of the mechanism (UPR: 1 to 4)')
    .requiredOption('--state <name>', 'the State under review: its name, an ISO 3166 code or an alias')
    .option('--mechanism <mechanism>', 'upr (default), treaty_body, special_procedure or peoples_upr')
    .option('--session <session>', 'the session, e.g. "50 – Nov 2025"')
    .option('--review-date <date>', 'the review date, YYYY-MM-DD')
    .option('--participation <participation>', 'participated (default), did_not_participate or postponed')
    .option('--coalition <name>', 'the coalition; needed when there are several')
    .action(async (options: CreateOptions) => {
      const dto = validateInput(CreateCycleDto, {
        number: /^\d{1,3}$/.test(options.number) ? Number(options.number) : options.number,
        stateUnderReview: options.state, mechanism: options.mechanism, session: options.session, reviewDate: options.reviewDate, participation: options.participation,
      }, (field) => CREATE_OPTION_OF[field] ?? `--${field}`);
      const app = await boot();
      const coalitionId = await coalitionFor(app, options.coalition);
      const created = await app.get(CyclesService).createIn(coalitionId, null, dto).catch((error) => {
        if (error instanceof BadRequestException) throw new CliError(describeUnknownState(error));
        throw error;
      });
      print(`Created cycle ${created.id}: ${cycleLabel(created)}${created.stateUnderReviewCode ? ` (${created.stateUnderReviewCode})` : ''}.`);
    });
  cycle
    .command('close')
    .description('Close a cycle: refused while its deadlines are open (--force marks them done); carries every unfinished recommendation into the next cycle and writes the close report to <DATA_DIR>/reports. Safe to run again')
    .argument('<id>', 'the cycle to close (its id)')
    .option('--force', 'close although deadlines are open, marking them done')
    .option('--next-number <number>', 'number of the cycle to carry into (default: the closed number + 1); an open cycle with it is used if there is one')
    .option('--next-session <session>', 'session of the next cycle, if it is created, e.g. "50 – Nov 2025"')
    .option('--next-review-date <date>', 'review date of the next cycle, YYYY-MM-DD')
    .option('--next-document-symbol <symbol>', 'outcome document of the next cycle, e.g. A/HRC/61/10')
    .action(async (id: string, options: CloseOptions) => {
      const cycleId = parseId(id, 'ID');
      const app = await boot();
      const found = await app.get(CyclesRepository).findById(cycleId);
      if (!found) throw new CliError(`ID: cycle ${cycleId} was not found`);
      const wantsNext = [options.nextNumber, options.nextSession, options.nextReviewDate, options.nextDocumentSymbol].some((v) => v !== undefined);
      const dto = validateInput(CloseCycleDto, {
        force: Boolean(options.force),
        nextCycle: wantsNext
          ? {
            number: options.nextNumber === undefined ? found.number + 1 : Number(options.nextNumber),
            session: options.nextSession,
            reviewDate: options.nextReviewDate,
            documentSymbol: options.nextDocumentSymbol,
          }
          : undefined,
      }, (field) => OPTION_OF[field] ?? `--${field}`);
      const service = app.get(CycleCloseService);
      const { response, closedNow } = await service.closeWithOutcome(found.coalitionId, cycleId, dto).catch((error) => {
        if (error instanceof ConflictException) throw new CliError(describeConflict(error));
        if (error instanceof BadRequestException) throw new CliError(describeBadInput(error));
        throw error;
      });
      const closed = response.cycle;
      const next = response.nextCycle;
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      print(closedNow
        ? `Closed cycle ${closed.id} (${cycleLabel(closed)}).`
        : `Cycle ${closed.id} (${cycleLabel(closed)}) was already closed on ${closed.closedAt?.slice(0, 16).replace('T', ' ')} UTC; nothing changed.`);
      // A repeated close reports what the close did then.
      const [carried, left, marked] = closedNow ? ['Carried', 'Left', 'Marked'] : ['It had carried', 'It had left', 'It had marked'];
      print(`${carried} ${plural(response.carriedOver, 'unfinished recommendation')} into cycle ${next.number} (id ${next.id}${response.nextCycleCreated ? ', created by the close' : ''}).` +
        (response.alreadyInNextCycle.length > 0 ? ` ${response.alreadyInNextCycle.length} were there already.` : ''));
      print(`${left} ${plural(response.fullyImplementedLeftBehind, 'fully implemented recommendation')} in cycle ${closed.number}. ` +
        (response.deadlinesCompleted.length > 0 ? `${marked} ${plural(response.deadlinesCompleted.length, 'open deadline')} done: ${response.deadlinesCompleted.join(', ')}.` : 'No open deadlines.'));
      const files = (['html', 'json'] as const).map((format) => (response.reports[format] ? service.reportPath(closed.id, format) : `(the ${format} report could not be written; run the command again)`));
      print(`Close report: ${files.join(' and ')}`);
    });
}

/** The refusal, with the open deadlines listed one per line. */
function describeConflict(error: ConflictException): string {
  const body = error.getResponse() as { details?: { openDeadlines?: { id: number; kind: string; title: string | null; dueDate: string; recommendationId: number | null }[] } };
  const open = body.details?.openDeadlines;
  if (!open) return describeError(error);
  const lines = open.map((d) => `  deadline ${d.id}: ${d.kind}${d.title ? ` "${d.title}"` : ''}, due ${d.dueDate}${d.recommendationId ? `, recommendation ${d.recommendationId}` : ', the whole cycle'}`);
  return [`${describeError(error).replace('close with force', 'run again with --force')}:`, ...lines].join('\n');
}

/** A refusal of the input, naming the command-line option of each field. */
function describeBadInput(error: BadRequestException): string {
  const body = error.getResponse() as { details?: { field: string; problem: string }[] };
  if (!body.details?.length) return describeError(error);
  return body.details.map((d) => `${OPTION_OF[d.field] ?? d.field}: ${d.problem}`).join('\n');
}

/** An unknown State, as the command line names it: the option, the value and the closest States. */
function describeUnknownState(error: BadRequestException): string {
  const body = error.getResponse() as { details?: { field: string; value?: string; suggestions?: string[] }[] };
  const detail = body.details?.find((d) => d.field === 'stateUnderReview');
  if (!detail) return describeError(error);
  const hint = detail.suggestions?.length ? ` (did you mean ${detail.suggestions.join(', ')}?)` : '';
  return `--state: not a State: "${detail.value}"${hint}. Use the UN name, an ISO 3166 code, or add an alias (alias add)`;
}
