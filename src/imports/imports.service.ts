import { BadRequestException, HttpException, Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { assertCycleOpen } from '../cycles/cycles.service';
import { CyclesRepository } from '../cycles/cycles.repository';
import { ReviewCycle } from '../cycles/review-cycle.entity';
import { LineageService } from '../lineage/lineage.service';
import { cycleLabel } from '../notifications/notification-planner.service';
import type { TagKind } from '../recommendations/recommendation.vocabulary';
import { ImportMerger, MergedRecommendation, SourceCycle } from './import-merge';
import type { ImportFormat, ParseProgress, RowProblem } from './import-record';
import { CycleSummary, ImportSummary } from './import-summary';
import { ImportsRepository, TagRow } from './imports.repository';
import { detectFormat } from './parsers/detect-format';
import { parserFor } from './parsers';

export interface ImportSource {
  fileName: string;
  /** The first bytes, to recognise the format. */
  head(): Promise<Buffer>;
  open(): Readable;
}

export interface ImportOptions {
  coalitionId: number;
  format: ImportFormat | 'auto';
  cycleId?: number;
  dryRun: boolean;
  /** Import the good rows even when some are bad (default: all or nothing). */
  partial: boolean;
  onProgress?: ParseProgress;
}

/**
 * Predecessors are suggested right after an import of one State's cycle or a few (a DOCX matrix,
 * a UHRI export); a whole-database import leaves it to `lineage suggest`, cycle by cycle.
 */
const LINEAGE_AFTER_IMPORT_LIMIT = 5000;

/** Thrown inside the transaction to undo a dry run after counting what it would do. */
class DryRunRollback extends Error {}
/** Thrown inside the transaction when a whole cycle cannot be placed; nothing is written. */
class ImportRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('import refused');
  }
}

const TAG_FIELDS: [TagKind, (r: MergedRecommendation) => string[]][] = [
  ['recommending_state', (r) => r.recommendingStates],
  ['theme', (r) => r.themes],
  ['affected_person', (r) => r.affectedPersons],
  ['sdg', (r) => r.sdgs.map(String)],
];

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
    private readonly cycles: CyclesRepository,
    private readonly lineage: LineageService,
    private readonly clock: Clock,
  ) {}

  async run(source: ImportSource, options: ImportOptions): Promise<ImportSummary> {
    const started = Date.now();
    const format = options.format === 'auto' ? await unreadable(source.fileName, async () => detectFormat(source.fileName, await source.head())) : options.format;
    const target = options.cycleId !== undefined ? await this.targetCycle(options.coalitionId, options.cycleId) : null;

    const merger = new ImportMerger();
    let rows = 0;
    const parsed = parserFor(format).parse(source.open(), options.onProgress);
    for await (const row of guarded(source.fileName, parsed)) {
      rows += 1;
      if (row.problem) {
        merger.problems.push(row.problem);
        continue;
      }
      const record = target ? { ...row.record, stateUnderReview: target.stateUnderReview, session: target.session, cycleNumber: target.number } : row.record;
      if (!record.stateUnderReview) {
        merger.problems.push({ line: record.line, field: 'stateUnderReview', problem: 'the file does not say which State is under review: give --cycle (API: cycleId)' });
        continue;
      }
      merger.add(record);
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
      problems: merger.problems.sort((a, b) => a.line - b.line),
      duplicateRows: merger.duplicates,
      seconds: 0,
    };
    if (summary.problems.length > 0 && !options.partial) return { ...summary, seconds: (Date.now() - started) / 1000 };

    const createdIds: number[] = [];
    try {
      await this.dataSource.transaction(async (manager) => {
        for (const sourceCycle of merger.cycles.values()) {
          summary.cycles.push(await this.applyCycle(options.coalitionId, sourceCycle, target, manager, createdIds));
        }
        if (options.dryRun) throw new DryRunRollback();
      });
      summary.committed = !options.dryRun;
    } catch (error) {
      if (error instanceof ImportRefused) {
        summary.problems.push(...error.problems);
        summary.rejected += error.problems.length;
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

  private async applyCycle(coalitionId: number, source: SourceCycle, target: ReviewCycle | null, manager: EntityManager, createdIds: number[]): Promise<CycleSummary> {
    const { cycle, created: createdCycle } = target ? { cycle: target, created: false } : await this.findOrCreateCycle(coalitionId, source, manager);
    const summary: CycleSummary = { cycleId: cycle.id, label: cycleLabel(cycle) + (cycle.session ? `, session ${cycle.session}` : ''), createdCycle, created: 0, updated: 0, unchanged: 0 };
    const existing = createdCycle ? { recommendations: [], tags: [] } : await this.imports.loadExisting(cycle.id, manager);
    const byParagraph = new Map(existing.recommendations.filter((r) => r.paragraph).map((r) => [r.paragraph!, r]));
    const byTextKey = new Map(existing.recommendations.map((r) => [r.textKey, r]));
    const tagsOf = groupTags(existing.tags);

    const inserts: MergedRecommendation[] = [];
    const retag: { id: number; record: MergedRecommendation }[] = [];
    const now = this.clock.now();
    for (const record of source.recommendations.values()) {
      const byNumber = record.paragraph ? byParagraph.get(record.paragraph) : undefined;
      // A recommendation carried over by a cycle close keeps its old paragraph number: the new
      // outcome document's paragraph of that number is a different recommendation unless the text agrees.
      const sameParagraph = byNumber && (byNumber.predecessorId === null || byNumber.textKey === record.textKey) ? byNumber : undefined;
      const match = sameParagraph ?? byTextKey.get(record.textKey);
      if (!match) {
        inserts.push(record);
        continue;
      }
      const fieldsSame = match.text === record.text && match.response === record.response && match.actionCategory === record.actionCategory
        && (match.paragraph ?? null) === (record.paragraph ?? null);
      const tagsSame = TAG_FIELDS.every(([kind, values]) => sameList(tagsOf.get(match.id)?.[kind] ?? [], values(record)));
      if (fieldsSame && tagsSame) {
        summary.unchanged += 1;
        continue;
      }
      if (!fieldsSame) {
        await this.imports.updateRecommendation(match.id, {
          text: record.text, textKey: record.textKey, response: record.response, actionCategory: record.actionCategory, paragraph: record.paragraph, updatedAt: now,
        }, manager);
      }
      if (!tagsSame) retag.push({ id: match.id, record });
      summary.updated += 1;
    }

    const ids = await this.imports.insertRecommendations(
      inserts.map((r) => ({ coalitionId, cycleId: cycle.id, paragraph: r.paragraph, text: r.text, textKey: r.textKey, response: r.response, actionCategory: r.actionCategory })),
      now,
      manager,
    );
    summary.created = ids.length;
    createdIds.push(...ids);
    await this.imports.deleteTags(retag.map((r) => r.id), manager);
    const tagRows: TagRow[] = [];
    const addTags = (id: number, record: MergedRecommendation) => {
      for (const [kind, values] of TAG_FIELDS) values(record).forEach((value, position) => tagRows.push({ recommendationId: id, coalitionId, kind, value: value.slice(0, 200), position }));
    };
    inserts.forEach((record, i) => addTags(ids[i], record));
    retag.forEach(({ id, record }) => addTags(id, record));
    await this.imports.insertTags(tagRows, manager);
    return summary;
  }

  /** The coalition's UPR cycle for this State and session, created when it is new. */
  private async findOrCreateCycle(coalitionId: number, source: SourceCycle, manager: EntityManager): Promise<{ cycle: ReviewCycle; created: boolean }> {
    const candidates = await this.imports.findCycles(coalitionId, [source.stateUnderReview], manager);
    const found = candidates.find((c) => (source.session ? c.session === source.session : source.cycleNumber !== null && c.number === source.cycleNumber));
    if (found) {
      assertCycleOpen(found);
      return { cycle: found, created: false };
    }
    if (source.cycleNumber === null) {
      const firstLine = [...source.recommendations.values()][0]?.line ?? 0;
      throw new ImportRefused([{ line: firstLine, field: 'cycle', problem: `the file does not say which cycle of ${source.stateUnderReview} this is: give --cycle (API: cycleId)` }]);
    }
    const cycle = await this.imports.insertCycle({
      coalitionId,
      mechanism: 'upr',
      number: source.cycleNumber,
      stateUnderReview: source.stateUnderReview,
      session: source.session,
      documentSymbol: source.documentSymbol,
      state: 'open',
    }, manager);
    return { cycle, created: true };
  }
}

/** A file that cannot be read at all is the person's input problem (400), said with the file's name. */
function asFileError(fileName: string, error: unknown): unknown {
  if (error instanceof HttpException || !(error instanceof Error)) return error;
  const problem = error.message.startsWith(fileName) ? error.message : `${fileName}: ${error.message}`;
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: problem, details: [{ field: 'file', problem }] });
}

async function unreadable<T>(fileName: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asFileError(fileName, error);
  }
}

async function* guarded<T>(fileName: string, rows: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* rows;
  } catch (error) {
    throw asFileError(fileName, error);
  }
}

function groupTags(tags: { recommendationId: number; kind: TagKind; value: string }[]): Map<number, Record<TagKind, string[]>> {
  const byId = new Map<number, Record<TagKind, string[]>>();
  for (const tag of tags) {
    const entry = byId.get(tag.recommendationId) ?? { recommending_state: [], theme: [], affected_person: [], sdg: [] };
    entry[tag.kind].push(tag.value);
    byId.set(tag.recommendationId, entry);
  }
  return byId;
}

function sameList(a: string[], b: string[]): boolean {
  const right = b.map((v) => v.slice(0, 200));
  return a.length === right.length && a.every((value, i) => value === right[i]);
}

