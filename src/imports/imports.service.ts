import { BadRequestException, HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { assertCycleOpen } from '../cycles/cycles.service';
import { CyclesRepository } from '../cycles/cycles.repository';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { LineageService } from '../lineage/lineage.service';
import { ImportMerger, SourceCycle } from './import-merge';
import { type CyclePlan, planCycle } from './import-plan';
import type { ImportFormat, ParsedRow, ParseProgress, RowProblem } from './import-record';
import { ImportLimitError } from './import-limit';
import type { ImportSource } from './import-source';
import { CycleSummary, ImportSummary } from './import-summary';
import { ImportsRepository } from './imports.repository';
import { RecommendationsBulkWriter } from '../recommendations/recommendations-bulk-writer';
import { detectFormat } from './parsers/detect-format';
import { parserFor } from './parsers';
import { cycleLabel } from '../vocabulary/cycle.vocabulary';
import { StatesService } from '../states/states.service';
import { StateNormalizer } from './state-normalizer';
import { ThemesService } from '../themes/themes.service';
import { ThemeNormalizer } from './theme-normalizer';

export interface ImportOptions {
  coalitionId: number;
  format: ImportFormat | 'auto';
  cycleId?: number;
  dryRun: boolean;
  /** Import the good rows even when some are bad (default: all or nothing). */
  partial: boolean;
  onProgress?: ParseProgress;
  /** Who imports, for the audit trail; null or absent: the command line. */
  actor?: { id: number; name: string } | null;
}

/**
 * Predecessors are suggested right after an import of one State's cycle or a few (a DOCX matrix,
 * a UHRI export); a whole-database import leaves it to `lineage suggest`, cycle by cycle.
 */
const LINEAGE_AFTER_IMPORT_LIMIT = 5000;

/**
 * Problems listed in a summary; the count of rejected rows stays exact. A file whose every row is
 * bad would otherwise answer with a body as large as the file.
 */
export const MAX_LISTED_PROBLEMS = 1000;

/** Thrown inside the transaction to undo a dry run after counting what it would do. */
class DryRunRollback extends Error {}
/** Thrown inside the transaction when a cycle cannot be placed and the import is all or nothing; nothing is written. */
class ImportRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('import refused');
  }
}

/**
 * Imports a file of recommendations: parse (streaming), merge rows into recommendations, then in
 * one transaction find or create each cycle and create, update or leave alone each recommendation
 * by its natural key (cycle + paragraph, else cycle + text with white space collapsed). Importing
 * the same file twice changes nothing; bad rows stop the whole import unless `partial`.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger('ImportsService');

  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: ImportsRepository,
    private readonly bulk: RecommendationsBulkWriter,
    private readonly cycles: CyclesRepository,
    private readonly lineage: LineageService,
    private readonly states: StatesService,
    private readonly vocabularies: ThemesService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  async run(source: ImportSource, options: ImportOptions): Promise<ImportSummary> {
    const started = Date.now();
    const format = options.format === 'auto' ? await unreadable(source.fileName, async () => detectFormat(source.fileName, await source.head())) : options.format;
    const target = options.cycleId !== undefined ? await this.targetCycle(options.coalitionId, options.cycleId) : null;

    const merger = new ImportMerger();
    // Every State's spellings, read once: each name of each row is a map lookup (issue 12).
    const states = new StateNormalizer(await this.states.directoryFor(options.coalitionId));
    // Themes and groups the same way: UHRI codes and group names, with the coalition's aliases (issue 12).
    const themes = new ThemeNormalizer(await this.vocabularies.directoryFor(options.coalitionId));
    let rows = 0;
    const parser = parserFor(format, this.config.imports);
    const parsed = parser.parseBatches ? parser.parseBatches(source.open(), options.onProgress) : oneByOne(parser.parse(source.open(), options.onProgress));
    for await (const batch of asFileErrors(source.fileName, parsed)) {
      rows += batch.length;
      mergeBatch(batch, target, states, themes, merger);
    }

    const summary: ImportSummary = {
      file: source.fileName,
      format,
      dryRun: options.dryRun,
      committed: false,
      rows,
      recommendations: merger.recommendationCount,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: new Set(merger.problems.map((p) => p.line)).size,
      duplicates: merger.duplicates.length,
      cyclesCreated: 0,
      cycles: [],
      problems: merger.problems.sort((a, b) => a.line - b.line).slice(0, MAX_LISTED_PROBLEMS),
      duplicateRows: merger.duplicates,
      unknownNames: [...states.unknownNames(), ...themes.unknownNames()],
      seconds: 0,
    };
    if (merger.problems.length > MAX_LISTED_PROBLEMS) summary.problemsNotListed = merger.problems.length - MAX_LISTED_PROBLEMS;
    if (summary.problems.length > 0 && !options.partial) return { ...summary, seconds: (Date.now() - started) / 1000 };
    // An unknown State, theme or group is never created: a dry run says which names and what they
    // may be; a real import is refused until they are fixed in the file or added as aliases.
    if (summary.unknownNames.length > 0 && !options.dryRun) return { ...summary, seconds: (Date.now() - started) / 1000 };

    const createdIds: number[] = [];
    try {
      await this.dataSource.transaction(async (manager) => {
        const applied = await this.applyCycles(options.coalitionId, [...merger.cycles.values()], target, options.partial, manager, createdIds);
        summary.cycles = applied.cycles;
        // With --partial, the rows of a cycle that cannot be placed are rejected and the others written.
        addProblems(summary, applied.refused);
        if (options.dryRun) throw new DryRunRollback();
        const sum = (field: 'created' | 'updated' | 'unchanged') => summary.cycles.reduce((n, c) => n + c[field], 0);
        await this.audit.record({
          coalitionId: options.coalitionId, actor: options.actor ?? null, entity: 'import', entityId: null, action: 'imported', at: this.clock.now(),
          after: {
            file: summary.file, format: summary.format, partial: options.partial, rows: summary.rows, rejected: summary.rejected,
            created: sum('created'), updated: sum('updated'), unchanged: sum('unchanged'),
            cycles: summary.cycles.map((c) => ({ cycleId: c.cycleId, createdCycle: c.createdCycle, created: c.created, updated: c.updated, unchanged: c.unchanged })),
          },
        }, manager);
      });
      summary.committed = !options.dryRun;
    } catch (error) {
      if (error instanceof ImportRefused) {
        addProblems(summary, error.problems);
        summary.cycles = [];
      } else if (!(error instanceof DryRunRollback)) {
        throw error;
      }
    }
    for (const cycle of summary.cycles) {
      summary.created += cycle.created;
      summary.updated += cycle.updated;
      summary.unchanged += cycle.unchanged;
      if (cycle.createdCycle) summary.cyclesCreated += 1;
    }
    if (summary.committed && createdIds.length > 0) {
      if (createdIds.length <= LINEAGE_AFTER_IMPORT_LIMIT) {
        summary.lineageSuggestions = (await this.lineage.suggestForRecommendations(createdIds)).suggestions;
      } else {
        summary.lineageNote = `${createdIds.length} new recommendations: suggest predecessors per cycle with "npm run cli -- lineage suggest --cycle ID"`;
      }
    }
    summary.seconds = (Date.now() - started) / 1000;
    this.logger.log(`${summary.file}: ${summary.rows} rows, created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, rejected ${summary.rejected}${summary.committed ? '' : ' (not committed)'}`);
    return summary;
  }

  private async targetCycle(coalitionId: number, cycleId: number): Promise<ReviewCycle> {
    const cycle = await this.cycles.findInCoalition(coalitionId, cycleId);
    if (!cycle) throw notFound('Cycle', cycleId);
    assertCycleOpen(cycle);
    return cycle;
  }

  /**
   * Finds or creates every cycle, matches each against what it holds, then writes: on SQLite in one
   * synchronous pass of prepared statements, on PostgreSQL in multi-row statements.
   */
  private async applyCycles(
    coalitionId: number, sources: SourceCycle[], target: ReviewCycle | null, partial: boolean, manager: EntityManager, createdIds: number[],
  ): Promise<{ cycles: CycleSummary[]; refused: RowProblem[] }> {
    const known = target ? [] : await this.imports.findCycles(coalitionId, [...new Set(sources.map((s) => s.stateUnderReview))], manager);
    // Where each source cycle goes, decided before anything is written; the new cycles are then inserted together.
    const placements = target ? sources.map(() => ({ cycle: target, created: false })) : placeCycles(coalitionId, sources, known);
    const newCycles = placements.filter((p): p is NewCyclePlacement => 'values' in p && p.first);
    const insertedCycles = newCycles.length > 0 ? await this.cycles.insertMany(newCycles.map((p) => p.values), manager) : [];
    const insertedFor = new Map(newCycles.map((p, i) => [p.values, insertedCycles[i]]));
    const planned: { cycle: ReviewCycle; createdCycle: boolean; plan: CyclePlan }[] = [];
    const refused: RowProblem[] = [];
    for (const [i, source] of sources.entries()) {
      const placement = placements[i];
      if ('refusal' in placement) {
        const problems = rowsOf(source).map((line) => ({ line, field: 'cycle', ...placement.refusal }));
        if (!partial) throw new ImportRefused(problems);
        refused.push(...problems);
        continue;
      }
      const cycle = 'values' in placement ? insertedFor.get(placement.values)! : placement.cycle;
      // Created by this import: by the first source placed in it (two sources may name the same new cycle).
      const createdCycle = 'values' in placement ? placement.first : placement.created;
      // A State that did not participate responded to nothing, whatever the file says.
      if (cycle.participation === 'did_not_participate') for (const record of source.recommendations.values()) record.response = 'no_response';
      const existing = 'values' in placement || createdCycle ? { recommendations: [], tags: [] } : await this.imports.loadExisting(cycle.id, manager);
      planned.push({ cycle, createdCycle, plan: planCycle(source, existing.recommendations, existing.tags) });
    }

    // Recommendations own their tables: the plan is handed to their bulk writer, in this transaction.
    const createdPerCycle = await this.bulk.write(
      coalitionId,
      planned.map(({ cycle, plan }) => ({ cycleId: cycle.id, inserts: plan.inserts, updates: plan.updates, retag: plan.retag })),
      this.clock.now(),
      manager,
    );

    const cycles = planned.map(({ cycle, createdCycle, plan }, i) => {
      createdIds.push(...createdPerCycle[i]);
      return {
        cycleId: cycle.id,
        label: cycleLabel(cycle) + (cycle.session ? `, session ${cycle.session}` : ''),
        mechanism: cycle.mechanism,
        number: cycle.number,
        stateUnderReview: cycle.stateUnderReview,
        session: cycle.session,
        createdCycle,
        created: createdPerCycle[i].length,
        updated: plan.updated,
        unchanged: plan.unchanged,
      };
    });
    return { cycles, refused };
  }
}

/**
 * Normalises the rows of a batch and merges them. The loop over every row of a file is a function of
 * its own: inside `run`, V8 compiled all of `run` to optimise it (on-stack replacement), at many times
 * the cost of compiling the loop alone.
 */
function mergeBatch(batch: ParsedRow[], target: ReviewCycle | null, states: StateNormalizer, themes: ThemeNormalizer, merger: ImportMerger): void {
  for (const row of batch) {
    if (row.problem) {
      merger.problems.push(row.problem);
      continue;
    }
    const record = target ? { ...row.record, stateUnderReview: target.stateUnderReview, session: target.session, cycleNumber: target.number } : row.record;
    if (!record.stateUnderReview) {
      merger.problems.push({ line: record.line, field: 'stateUnderReview', problem: 'the file does not say which State is under review: give --cycle (API: cycleId)', code: 'noStateUnderReview' });
      continue;
    }
    if (!target) record.stateUnderReview = states.stateUnderReview(record.stateUnderReview);
    record.recommendingStates = states.recommendingStates(record.recommendingStates);
    themes.normalize(record);
    merger.add(record);
  }
}

type CycleRefusal = { refusal: Omit<RowProblem, 'line' | 'field'> };
/** A cycle this import creates; `first`: the first source placed in it (only that one counts it as created). */
type NewCyclePlacement = { values: Partial<ReviewCycle>; first: boolean };
type CyclePlacement = { cycle: ReviewCycle; created: false } | NewCyclePlacement | CycleRefusal;

/**
 * Where each source cycle goes, in order: the coalition's UPR cycle for its State and session
 * (`known`: the coalition's UPR cycles of the file's States), a new one to create, or why its rows
 * cannot go anywhere (no UPR cycle named, or the cycle is closed). A later source finds the new
 * cycles of earlier ones as it would find them written.
 */
function placeCycles(coalitionId: number, sources: SourceCycle[], known: ReviewCycle[]): CyclePlacement[] {
  const creating: NewCyclePlacement[] = [];
  const matches = (c: Partial<ReviewCycle>, source: SourceCycle) => c.stateUnderReview === source.stateUnderReview
    && (source.session ? c.session === source.session : source.cycleNumber !== null && c.number === source.cycleNumber);
  return sources.map((source): CyclePlacement => {
    const found = known.find((c) => matches(c, source));
    if (found) {
      if (found.state === 'closed') {
        return { refusal: { problem: `cycle ${found.id} (${cycleLabel(found)}) is closed; nothing in a closed cycle can change`, code: 'cycleClosed', values: { cycle: found.id } } };
      }
      return { cycle: found, created: false };
    }
    const pending = creating.find((p) => matches(p.values, source));
    if (pending) return { values: pending.values, first: false };
    if (source.cycleNumber === null) {
      return {
        refusal: {
          problem: `the row names no UPR session or cycle of ${source.stateUnderReview} (a treaty body's or special procedure's recommendation has none): `
            + 'import it into a cycle with --cycle (API: cycleId)',
          code: 'noCycle',
          values: { state: source.stateUnderReview },
        },
      };
    }
    const placement: NewCyclePlacement = {
      values: {
        coalitionId,
        mechanism: 'upr',
        number: source.cycleNumber,
        stateUnderReview: source.stateUnderReview,
        session: source.session,
        documentSymbol: source.documentSymbol,
        state: 'open',
      },
      first: true,
    };
    creating.push(placement);
    return placement;
  });
}

/** Every source line of a source cycle's recommendations, in order. */
function rowsOf(source: SourceCycle): number[] {
  return [...source.recommendations.values()].flatMap((r) => r.lines).sort((a, b) => a - b);
}

/** Adds rejected rows to the summary, keeping the problem list in line order and within its cap. */
function addProblems(summary: ImportSummary, problems: RowProblem[]): void {
  if (problems.length === 0) return;
  const listed = [...summary.problems, ...problems].sort((a, b) => a.line - b.line);
  const notListed = (summary.problemsNotListed ?? 0) + Math.max(0, listed.length - MAX_LISTED_PROBLEMS);
  summary.problems = listed.slice(0, MAX_LISTED_PROBLEMS);
  if (notListed > 0) summary.problemsNotListed = notListed;
  summary.rejected += new Set(problems.map((p) => p.line)).size;
}

/** A file that cannot be read at all is the person's input problem (400), said with the file's name. */
function asFileError(fileName: string, error: unknown): unknown {
  if (error instanceof HttpException || !(error instanceof Error)) return error;
  const problem = error.message.startsWith(fileName) ? error.message : `${fileName}: ${error.message}`;
  const limit = error instanceof ImportLimitError ? { limit: error.limit } : {};
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: problem, details: [{ field: 'file', problem, ...limit }] });
}

async function unreadable<T>(fileName: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asFileError(fileName, error);
  }
}

/** Rows of a parser that reads them one by one (a table's rows: few), as batches of one. */
async function* oneByOne<T>(rows: AsyncIterable<T>): AsyncIterable<T[]> {
  for await (const row of rows) yield [row];
}

/**
 * The rows, with a failure to read them said as the file's problem. An iterator, not a generator
 * around the parser's: every row through one more async generator cost a promise and a turn of the
 * microtask queue (41,000 of each for the UPR Info export). Leaving the loop early closes the parser.
 */
function asFileErrors<T>(fileName: string, rows: AsyncIterable<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      const inner = rows[Symbol.asyncIterator]();
      return {
        next: async () => {
          try {
            return await inner.next();
          } catch (error) {
            throw asFileError(fileName, error);
          }
        },
        return: async (value?: unknown) => (inner.return ? inner.return(value) : { done: true as const, value: undefined }),
      };
    },
  };
}
