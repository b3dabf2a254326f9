import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { excerpt } from '../common/text';
import { CYCLE_STATES, type CycleState, type Mechanism, MECHANISMS, cycleLabel, type Participation, PARTICIPATIONS, participationNote } from '../vocabulary/cycle.vocabulary';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import { DEADLINE_KINDS, type DeadlineKind } from '../vocabulary/deadline.vocabulary';
import {
  type ImplementationStatus, RECOMMENDATION_KINDS, type RecommendationKind, type RecommendationResponse, RESPONSES, STATUSES,
} from '../vocabulary/recommendation.vocabulary';
import type { CarriedCount, GroupCount, OverdueDeadlineRow, RecurringRow, TestimonyExcerptRow, ValueCount } from './reports.repository';
import { REPORT_FORMATS, type ReportFormat } from './report-format';

export class ReportQuery {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS, { message: `format must be one of: ${REPORT_FORMATS.join(', ')}`, context: { allowed: REPORT_FORMATS } })
  format?: ReportFormat;
}

export const ACTION_CATEGORY_LABELS: Record<number, string> = {
  1: 'Minimal action', 2: 'Continuing action', 3: 'Considering action', 4: 'General action', 5: 'Specific action',
};

export class ReportCycle {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'United States of America, UPR cycle 3' }) label: string;
  @ApiProperty({ enum: MECHANISMS }) mechanism: Mechanism;
  @ApiProperty() number: number;
  @ApiProperty({ description: 'The canonical name (UN short name in English)' }) stateUnderReview: string;
  @ApiProperty({ nullable: true, type: String, description: 'ISO 3166 alpha-3 code; null for a name kept as written before issue 12', example: 'USA' })
  stateUnderReviewCode: string | null;
  @ApiProperty({ nullable: true, type: String }) session: string | null;
  @ApiProperty({ nullable: true, type: String }) documentSymbol: string | null;
  @ApiProperty({ enum: CYCLE_STATES }) state: CycleState;
  @ApiProperty({ enum: PARTICIPATIONS, description: 'Whether the State took part in the review' }) participation: Participation;
  @ApiProperty({ nullable: true, type: String, description: "What the State's participation means for the figures, in words; null: it took part" })
  participationNote: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) nextCycleId: number | null;
}

export class ReportTotals {
  @ApiProperty({ description: 'Recommendations made to the State (voluntary pledges are counted apart)' }) recommendations: number;
  @ApiProperty({ description: "The State's own voluntary pledges in the cycle" }) voluntaryPledges: number;
  @ApiProperty({ description: 'Evidence items of all kinds (counted, never shown)' }) evidenceItems: number;
  @ApiProperty() recommendationsWithEvidence: number;
  @ApiProperty() overdueDeadlines: number;
  @ApiProperty({ description: 'Recommendations with a predecessor in an earlier cycle' }) recurring: number;
}

export class StatusCount {
  @ApiProperty({ enum: STATUSES }) status: ImplementationStatus;
  @ApiProperty() count: number;
}

export class ResponseCount {
  @ApiProperty({ enum: RESPONSES }) response: RecommendationResponse;
  @ApiProperty() count: number;
}

export class ThemeCount {
  @ApiProperty() theme: string;
  @ApiProperty() count: number;
}

export class RecommendingStateCount {
  @ApiProperty({ description: 'The canonical name (UN short name in English)' }) state: string;
  @ApiProperty({ nullable: true, type: String, description: 'ISO 3166 alpha-3 code; null for a name that is no State', example: 'FRA' }) code: string | null;
  @ApiProperty() count: number;
}

export class ActionCategoryCount {
  @ApiProperty({ nullable: true, type: Number, description: 'UPR Info action category 1 to 5; null: not categorised' }) category: number | null;
  @ApiProperty() label: string;
  @ApiProperty() count: number;
}

export class ImplementationRate {
  @ApiProperty() recommendations: number;
  @ApiProperty({ description: 'Recommendations with a status other than not_assessed: the denominator of the rate' }) assessed: number;
  @ApiProperty({ description: 'Recommendations not assessed yet, left out of the rate' }) notAssessed: number;
  @ApiProperty() fullyImplemented: number;
  @ApiProperty() partiallyImplemented: number;
  @ApiProperty({ nullable: true, type: Number, description: '(fully + partially implemented) / assessed, 0 to 1; null when none was assessed' })
  rate: number | null;
  @ApiProperty({ example: '50% of the 2 assessed supported recommendations are fully or partially implemented; 1 not assessed yet' })
  summary: string;
}

export class OverdueDeadline {
  @ApiProperty() id: number;
  @ApiProperty({ enum: DEADLINE_KINDS }) kind: DeadlineKind;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty() dueDate: string;
  @ApiProperty({ nullable: true, type: String }) dueTime: string | null;
  @ApiProperty() timeZone: string;
  @ApiProperty() dueAt: string;
  @ApiProperty({ nullable: true, type: Number }) recommendationId: number | null;
  @ApiProperty({ nullable: true, type: String }) paragraph: string | null;
}

/** A coordinator's anonymised excerpt of a testimony linked to a recommendation (issue 13). */
export class TestimonyExcerpt {
  @ApiProperty() recommendationId: number;
  @ApiProperty({ nullable: true, type: String }) paragraph: string | null;
  @ApiProperty() excerpt: string;
}

export class RecurringRecommendation {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: String }) paragraph: string | null;
  @ApiProperty() excerpt: string;
  @ApiProperty({ enum: STATUSES }) status: ImplementationStatus;
  @ApiProperty({ type: [Number], description: 'Cycle numbers it was made in, oldest first' }) cycles: number[];
  @ApiProperty({ example: 'made in cycles 1, 2 and 3, still not implemented' }) summary: string;
}

/**
 * One line of the report's list. Built as JSON by the database (ReportsRepository.listJson) with
 * exactly these keys in this order; change both together.
 */
export class ReportRecommendation {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: String }) paragraph: string | null;
  @ApiProperty() text: string;
  @ApiProperty({ type: [String] }) recommendingStates: string[];
  @ApiProperty({ type: [String], description: 'ISO 3166 alpha-3 code of each recommending State, in the same order; null for a name that is no State' })
  recommendingStateCodes: (string | null)[];
  @ApiProperty({ enum: RESPONSES }) response: RecommendationResponse;
  @ApiProperty({ enum: RECOMMENDATION_KINDS }) kind: RecommendationKind;
  @ApiProperty({ enum: STATUSES }) status: ImplementationStatus;
  @ApiProperty({ type: [String] }) themes: string[];
  @ApiProperty({ type: [String] }) affectedPersons: string[];
  @ApiProperty({ type: [Number], description: 'The goals, 1 to 17, of the goals and targets tagged: a target counts under its goal' }) sdgs: number[];
  @ApiProperty({ type: [String], description: 'The SDG targets tagged, "5.1"' }) sdgTargets: string[];
  @ApiProperty({ nullable: true, type: Number }) actionCategory: number | null;
  @ApiProperty({ nullable: true, type: Number }) predecessorId: number | null;
  @ApiProperty({ description: 'Evidence items (a count only)' }) evidenceCount: number;
  @ApiProperty({ nullable: true, type: String, description: 'The note of the last status change' }) lastStatusNote: string | null;
  @ApiProperty({ nullable: true, type: String }) lastStatusChangedAt: string | null;
}

export class CarriedFigures {
  @ApiProperty({ description: 'Recommendations of earlier cycles carried into this one by cycle closes' }) count: number;
  @ApiProperty({ description: 'Still followed here' }) followedHere: number;
  @ApiProperty({ description: 'Superseded by a recurring recommendation of this cycle' }) superseded: number;
  @ApiProperty({ type: [StatusCount], description: 'Their current status, every status in lifecycle order' }) byStatus: StatusCount[];
}

export class VoluntaryPledges {
  @ApiProperty() count: number;
  @ApiProperty({ type: [StatusCount], description: 'Every status, in lifecycle order' }) byStatus: StatusCount[];
}

/** Everything in the report but the list of recommendations. */
export class ReportSummary {
  @ApiProperty() generatedAt: string;
  @ApiProperty({ type: ReportCycle }) cycle: ReportCycle;
  @ApiProperty({ type: ReportTotals }) totals: ReportTotals;
  @ApiProperty({ type: [StatusCount], description: 'Every status, in lifecycle order (recommendations only)' }) byStatus: StatusCount[];
  @ApiProperty({ type: [ResponseCount], description: 'Recommendations only: a voluntary pledge is not answered' }) byResponse: ResponseCount[];
  @ApiProperty({ type: VoluntaryPledges, description: "The State's own voluntary pledges, apart from the recommendations" }) voluntaryPledges: VoluntaryPledges;
  @ApiProperty({ type: CarriedFigures, description: 'Carried from earlier cycles, apart from the recommendations received (none of the other figures count them)' })
  carried: CarriedFigures;
  @ApiProperty({ type: [ThemeCount], description: 'Most first; a recommendation counts once for each of its themes' }) byTheme: ThemeCount[];
  @ApiProperty({ type: [RecommendingStateCount], description: 'Most first' }) byRecommendingState: RecommendingStateCount[];
  @ApiProperty({ type: [ActionCategoryCount] }) byActionCategory: ActionCategoryCount[];
  @ApiProperty({
    description: 'Per State response: share of the assessed recommendations that are fully or partially implemented (not assessed ones are left out and counted apart); compare supported with noted',
    example: {
      supported: {
        recommendations: 12, assessed: 10, notAssessed: 2, fullyImplemented: 2, partiallyImplemented: 3, rate: 0.5,
        summary: '50% of the 10 assessed supported recommendations are fully or partially implemented; 2 not assessed yet',
      },
    },
  })
  implementationRate: Record<RecommendationResponse, ImplementationRate>;
  @ApiProperty({ type: [OverdueDeadline] }) overdueDeadlines: OverdueDeadline[];
  @ApiProperty({ type: [RecurringRecommendation] }) recurring: RecurringRecommendation[];
  @ApiProperty({ type: [TestimonyExcerpt], description: "Anonymised excerpts of testimonies linked to the recommendations (with the person's consent); never a testimony itself" })
  testimonyExcerpts: TestimonyExcerpt[];
}

export class CycleReportResponse extends ReportSummary {
  @ApiProperty({ type: [ReportRecommendation] }) recommendations: ReportRecommendation[];
}

export interface SummaryInputs {
  cycle: ReviewCycle;
  generatedAt: Date;
  groups: GroupCount[];
  themes: ValueCount[];
  recommendingStates: ValueCount[];
  evidence: { items: number; recommendationsWithEvidence: number };
  overdue: OverdueDeadlineRow[];
  recurring: RecurringRow[];
  carried: CarriedCount[];
  excerpts: TestimonyExcerptRow[];
  /** The alpha-3 code of a canonical State name, or null. */
  stateCode: (name: string) => string | null;
}

export function mapReportSummary(input: SummaryInputs): ReportSummary {
  const { cycle } = input;
  // Pledges are counted apart: the figures by status, response, category and the rates are of recommendations.
  const groups = input.groups.filter((g) => g.kind !== 'voluntary_pledge');
  const pledges = input.groups.filter((g) => g.kind === 'voluntary_pledge');
  const sum = (keep: (g: GroupCount) => boolean, of = groups) => of.filter(keep).reduce((total, g) => total + g.count, 0);
  const categories = [...new Set(groups.map((g) => g.actionCategory))].sort((a, b) => (a ?? 99) - (b ?? 99));
  return {
    generatedAt: input.generatedAt.toISOString(),
    cycle: {
      id: cycle.id, label: cycleLabel(cycle), mechanism: cycle.mechanism, number: cycle.number, stateUnderReview: cycle.stateUnderReview,
      stateUnderReviewCode: input.stateCode(cycle.stateUnderReview), session: cycle.session, documentSymbol: cycle.documentSymbol, state: cycle.state,
      participation: cycle.participation, participationNote: participationNote(cycle), closedAt: cycle.closedAt?.toISOString() ?? null,
      nextCycleId: cycle.nextCycleId,
    },
    totals: {
      recommendations: sum(() => true),
      voluntaryPledges: sum(() => true, pledges),
      evidenceItems: input.evidence.items,
      recommendationsWithEvidence: input.evidence.recommendationsWithEvidence,
      overdueDeadlines: input.overdue.length,
      recurring: input.recurring.length,
    },
    byStatus: STATUSES.map((status) => ({ status, count: sum((g) => g.status === status) })),
    byResponse: RESPONSES.map((response) => ({ response, count: sum((g) => g.response === response) })),
    carried: {
      count: input.carried.reduce((n, c) => n + c.count, 0),
      followedHere: input.carried.filter((c) => !c.superseded).reduce((n, c) => n + c.count, 0),
      superseded: input.carried.filter((c) => c.superseded).reduce((n, c) => n + c.count, 0),
      byStatus: STATUSES.map((status) => ({ status, count: input.carried.filter((c) => c.status === status).reduce((n, c) => n + c.count, 0) })),
    },
    voluntaryPledges: {
      count: sum(() => true, pledges),
      byStatus: STATUSES.map((status) => ({ status, count: sum((g) => g.status === status, pledges) })),
    },
    byTheme: input.themes.map((t) => ({ theme: t.value, count: t.count })),
    byRecommendingState: input.recommendingStates.map((s) => ({ state: s.value, code: input.stateCode(s.value), count: s.count })),
    byActionCategory: categories.map((category) => ({
      category,
      label: category === null ? 'Not categorised' : (ACTION_CATEGORY_LABELS[category] ?? `Category ${category}`),
      count: sum((g) => g.actionCategory === category),
    })),
    implementationRate: Object.fromEntries(RESPONSES.map((response) => {
      const recommendations = sum((g) => g.response === response);
      const notAssessed = sum((g) => g.response === response && g.status === 'not_assessed');
      const fullyImplemented = sum((g) => g.response === response && g.status === 'fully_implemented');
      const partiallyImplemented = sum((g) => g.response === response && g.status === 'partially_implemented');
      return [response, implementationRate(response, { recommendations, assessed: recommendations - notAssessed, notAssessed, fullyImplemented, partiallyImplemented })];
    })) as Record<RecommendationResponse, ImplementationRate>,
    overdueDeadlines: input.overdue.map(({ deadline, paragraph }) => ({
      id: deadline.id, kind: deadline.kind, title: deadline.title, dueDate: deadline.dueDate, dueTime: deadline.dueTime,
      timeZone: deadline.timeZone, dueAt: deadline.dueAt.toISOString(), recommendationId: deadline.recommendationId, paragraph,
    })),
    recurring: input.recurring.map((r) => {
      const cycles = [...new Set([...r.earlierCycles, cycle.number])].sort((a, b) => a - b);
      return { id: r.id, paragraph: r.paragraph, excerpt: excerpt(r.text), status: r.status, cycles, summary: `made in cycles ${listWords(cycles)}, ${STATUS_PHRASES[r.status]}` };
    }),
    testimonyExcerpts: input.excerpts.map((x) => ({ recommendationId: x.recommendationId, paragraph: x.paragraph, excerpt: x.excerpt })),
  };
}

/** How the rate's sentence names the recommendations of each response ("of the 4 assessed supported recommendations"). */
const RESPONSE_WORDS: Record<RecommendationResponse, string> = {
  pending: 'pending', supported: 'supported', supported_in_part: 'supported-in-part', noted: 'noted', no_response: 'unanswered',
};

/**
 * The implementation rate of one response's recommendations, over those assessed only: a
 * recommendation nobody has assessed yet is not known to be unimplemented, so counting it would
 * report 0% for a cycle whose follow-up has not started. Its sentence is the one every format shows.
 */
export function implementationRate(response: RecommendationResponse, counts: Omit<ImplementationRate, 'rate' | 'summary'>): ImplementationRate {
  const { recommendations, assessed, notAssessed, fullyImplemented, partiallyImplemented } = counts;
  const rate = assessed === 0 ? null : Math.round(((fullyImplemented + partiallyImplemented) / assessed) * 10000) / 10000;
  const words = RESPONSE_WORDS[response];
  const summary = recommendations === 0
    ? `no ${words} recommendations`
    : rate === null
      ? `none of the ${recommendations} ${words} recommendations has been assessed yet`
      : `${Math.round(rate * 100)}% of the ${assessed} assessed ${words} recommendations are fully or partially implemented`
        + (notAssessed > 0 ? `; ${notAssessed} not assessed yet` : '');
  return { ...counts, rate, summary };
}

/** How a recurring recommendation stands, after "made in cycles 1, 2 and 3, …". */
const STATUS_PHRASES: Record<ImplementationStatus, string> = {
  not_assessed: 'not yet assessed',
  not_started: 'still not implemented (not started)',
  in_progress: 'still not implemented (in progress)',
  partially_implemented: 'partially implemented',
  fully_implemented: 'now fully implemented',
  not_implemented: 'still not implemented',
  regressed: 'regressed',
};

/** "1", "1 and 2", "1, 2 and 3". */
export function listWords(items: (string | number)[]): string {
  const words = items.map(String);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
