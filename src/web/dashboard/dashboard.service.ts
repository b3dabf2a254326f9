import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { Clock } from '../../common/clock';
import { Deadline } from '../../deadlines/deadline.entity';
import { deadlineTitle } from '../../notifications/deadline-calendar';
import type { DeadlinePayload } from '../../notifications/notification-payload';
import { STATUS_LABELS, STATUSES } from '../../vocabulary/recommendation.vocabulary';
import { barChart, STATUS_COLORS, type BarChart } from '../../reports/report-charts';
import { DashboardRepository } from './dashboard.repository';
import { cycleLabel } from '../../vocabulary/cycle.vocabulary';

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
    private readonly dashboard: DashboardRepository,
    private readonly clock: Clock,
  ) {}

  /** `cycleId` chooses the chart's cycle; by default the newest open cycle (else the newest). */
  async forUser(auth: AuthUser, cycleId?: number): Promise<DashboardView> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + UPCOMING_DAYS * 24 * 3600_000);
    const [owned, upcoming, overdue, changes, cycles] = await Promise.all([
      this.dashboard.findOwnedRecommendations(auth.coalitionId, auth.id, LIST_LIMIT),
      this.dashboard.findMyOpenDeadlinesDueBetween(auth.coalitionId, auth.id, now, until, LIST_LIMIT),
      this.dashboard.findMyOverdueDeadlines(auth.coalitionId, auth.id, now, LIST_LIMIT),
      this.dashboard.findRecentStatusChanges(auth.coalitionId, LIST_LIMIT),
      this.dashboard.listCyclesNewestFirst(auth.coalitionId),
    ]);
    const chartCycle = cycles.find((c) => c.id === cycleId) ?? cycles.find((c) => c.state === 'open') ?? cycles[0];
    const counts = chartCycle ? await this.dashboard.countRecommendationsByStatus(auth.coalitionId, chartCycle.id) : new Map<string, number>();
    const chartRows = STATUSES.map((status) => ({ label: STATUS_LABELS[status], value: counts.get(status) ?? 0, color: STATUS_COLORS[status] }));
    return {
      assignments: owned.rows.map((r) => ({
        id: r.id,
        paragraph: r.paragraph,
        excerpt: r.text.length > EXCERPT ? `${r.text.slice(0, EXCERPT - 1)}…` : r.text,
        status: r.status,
        cycle: cycleLabel(r.cycle!),
      })),
      assignmentsTotal: owned.total,
      upcoming: upcoming.map(deadlineItem),
      upcomingDays: UPCOMING_DAYS,
      overdue: overdue.map(deadlineItem),
      changes: changes.map((s) => ({
        recommendationId: s.recommendationId,
        paragraph: s.recommendation?.paragraph ?? null,
        from: s.fromStatus,
        to: s.toStatus,
        by: s.changedBy?.name ?? '',
        at: s.createdAt,
      })),
      cycles: cycles.map((c) => ({ id: c.id, label: cycleLabel(c), selected: c.id === chartCycle?.id })),
      chartCycle: chartCycle ? { id: chartCycle.id, label: cycleLabel(chartCycle), total: [...counts.values()].reduce((a, b) => a + b, 0) } : null,
      chart: chartCycle ? barChart(`Recommendations of ${cycleLabel(chartCycle)} by implementation status`, chartRows) : null,
      chartRows: chartRows.map(({ label, value }) => ({ label, value })),
    };
  }
}

function deadlineItem(deadline: Deadline): DeadlineItem {
  const cycle = { id: deadline.cycleId, label: cycleLabel(deadline.cycle!) };
  return {
    id: deadline.id,
    title: deadlineTitle({ deadline: { kind: deadline.kind, title: deadline.title }, cycle } as DeadlinePayload),
    dueAt: deadline.dueAt,
    recommendationId: deadline.recommendationId,
    paragraph: deadline.recommendation?.paragraph ?? null,
  };
}
