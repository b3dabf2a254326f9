import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock';
import { Deadline } from '../../deadlines/deadline.entity';
import { STATUSES } from '../../vocabulary/recommendation.vocabulary';
import { barChart, STATUS_COLORS, type BarChart } from '../../reports/report-charts';
import { CyclesService } from '../../cycles/cycles.service';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { RecommendationsService } from '../../recommendations/recommendations.service';
import type { AppLabels } from '../../i18n/app-labels';

const LIST_LIMIT = 10;
const UPCOMING_DAYS = 30;
const EXCERPT = 160;

export interface DeadlineItem {
  id: number;
  title: string;
  dueAt: Date;
  recommendationId: number | null;
  paragraph: string | null;
}

export interface DashboardView {
  assignments: { id: number; paragraph: string | null; excerpt: string; status: string; cycle: string }[];
  assignmentsTotal: number;
  upcoming: DeadlineItem[];
  upcomingDays: number;
  overdue: DeadlineItem[];
  changes: { recommendationId: number; paragraph: string | null; from: string; to: string; by: string; at: Date }[];
  cycles: { id: number; label: string; selected: boolean }[];
  chartCycle: { id: number; label: string; total: number } | null;
  chart: BarChart | null;
  chartRows: { label: string; value: number }[];
}

/** What a signed-in person sees first: their work, what is due, what changed, and where the cycle stands. */
@Injectable()
export class DashboardService {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly deadlines: DeadlinesService,
    private readonly cycles: CyclesService,
    private readonly clock: Clock,
  ) {}

  /**
   * `cycleId` chooses the chart's cycle; by default the newest open cycle (else the newest).
   * `labels`: the names of cycles, deadlines and statuses in the person's language.
   */
  async forUser(auth: AuthUser, labels: AppLabels, cycleId?: number): Promise<DashboardView> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + UPCOMING_DAYS * 24 * 3600_000);
    const [{ owned, recentChanges: changes }, { upcoming, overdue }, cycles] = await Promise.all([
      this.recommendations.overviewFor(auth, LIST_LIMIT),
      this.deadlines.openOfPerson(auth, now, until, LIST_LIMIT),
      this.cycles.listNewestFirst(auth),
    ]);
    const chartCycle = cycles.find((c) => c.id === cycleId) ?? cycles.find((c) => c.state === 'open') ?? cycles[0];
    const counts = chartCycle ? await this.recommendations.countByStatus(auth, chartCycle.id) : new Map<string, number>();
    const chartRows = STATUSES.map((status) => ({ label: labels.status(status), value: counts.get(status) ?? 0, color: STATUS_COLORS[status] }));
    return {
      assignments: owned.rows.map((r) => ({
        id: r.id,
        paragraph: r.paragraph,
        excerpt: r.text.length > EXCERPT ? `${r.text.slice(0, EXCERPT - 1)}…` : r.text,
        status: r.status,
        cycle: labels.cycle(r.cycle!),
      })),
      assignmentsTotal: owned.total,
      upcoming: upcoming.map((d) => deadlineItem(d, labels)),
      upcomingDays: UPCOMING_DAYS,
      overdue: overdue.map((d) => deadlineItem(d, labels)),
      changes: changes.map((s) => ({
        recommendationId: s.recommendationId,
        paragraph: s.recommendation?.paragraph ?? null,
        from: s.fromStatus,
        to: s.toStatus,
        by: s.changedBy?.name ?? '',
        at: s.createdAt,
      })),
      cycles: cycles.map((c) => ({ id: c.id, label: labels.cycle(c), selected: c.id === chartCycle?.id })),
      chartCycle: chartCycle ? { id: chartCycle.id, label: labels.cycle(chartCycle), total: [...counts.values()].reduce((a, b) => a + b, 0) } : null,
      chart: chartCycle ? barChart(labels.t('dashboard.chartTitle', { cycle: labels.cycle(chartCycle) }), chartRows) : null,
      chartRows: chartRows.map(({ label, value }) => ({ label, value })),
    };
  }
}

function deadlineItem(deadline: Deadline, labels: AppLabels): DeadlineItem {
  return {
    id: deadline.id,
    title: labels.deadline(deadline, labels.cycle(deadline.cycle!)),
    dueAt: deadline.dueAt,
    recommendationId: deadline.recommendationId,
    paragraph: deadline.recommendation?.paragraph ?? null,
  };
}
