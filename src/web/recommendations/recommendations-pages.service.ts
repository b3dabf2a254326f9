import { Injectable } from '@nestjs/common';
import { UsersService } from '../../accounts/users.service';
import type { AuthUser } from '../../auth/auth-user';
import { excerpt } from '../../common/text';
import { CyclesService } from '../../cycles/cycles.service';
import { DEADLINE_KINDS } from '../../vocabulary/deadline.vocabulary';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { EvidenceService } from '../../evidence/evidence.service';
import { EVIDENCE_KINDS } from '../../vocabulary/evidence.vocabulary';
import { LineageService } from '../../lineage/lineage.service';
import { STATUSES_NEEDING_EVIDENCE } from '../../recommendations/lifecycle';
import { RESPONSES, STATUSES } from '../../vocabulary/recommendation.vocabulary';
import type { ListRecommendationsQuery } from '../../recommendations/recommendations.dto';
import { RecommendationsService } from '../../recommendations/recommendations.service';
import type { FormErrors } from '../forms';
import { ListAuditQuery } from '../../audit/audit.dto';
import { AuditService } from '../../audit/audit.service';
import { auditRow } from '../audit/audit-view';
import type { AppLabels } from '../../i18n/app-labels';

/** What the list's filter form holds, as typed (text), so a refused filter is shown as it was given. */
export type ListFilters = Partial<Record<(typeof FILTER_FIELDS)[number], string>>;

export const FILTER_FIELDS = ['cycleId', 'status', 'response', 'kind', 'carried', 'theme', 'group', 'sdg', 'recommendingState', 'ownerId', 'q', 'pageSize'] as const;

/** What the bulk form held, kept when a bulk action is refused. */
export interface BulkValues {
  ids?: string[];
  ownerIds?: string[];
  kind?: string;
  title?: string;
  dueDate?: string;
  dueTime?: string;
  timeZone?: string;
}

/** What the detail page's forms held, kept when one of them is refused. */
export interface DetailForms {
  status?: { status?: string; note?: string; notePublic?: boolean; evidenceIds?: string[] };
  evidence?: { kind?: string; title?: string; url?: string; confidential?: boolean };
  deadline?: { kind?: string; title?: string; dueDate?: string; dueTime?: string; timeZone?: string; assigneeIds?: string[] };
}

/** The refusals of the detail page's forms, per form, each keyed by field (or `form`). */
export type DetailErrors = Partial<Record<'status' | 'evidence' | 'deadline' | 'lineage', FormErrors>>;

/** A select's option; status and response options are labelled by the templates' helpers. */
interface Option {
  value: string;
  label: string;
  selected: boolean;
}

const humanize = (value: string) => value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');

/**
 * Gathers what the recommendation pages show from the existing services (the same calls the API
 * makes for the caller), and shapes it for the templates. No rule lives here: what may be seen and
 * done is decided by the services.
 */
@Injectable()
export class RecommendationPages {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly cycles: CyclesService,
    private readonly users: UsersService,
    private readonly evidence: EvidenceService,
    private readonly deadlines: DeadlinesService,
    private readonly lineage: LineageService,
    private readonly audit: AuditService,
  ) {}

  /** `labels`: cycles, options and kinds named in the person's language. */
  async list(auth: AuthUser, labels: AppLabels, filters: ListFilters, query: ListRecommendationsQuery | null, errors: FormErrors = {}, bulk: BulkValues = {}): Promise<object> {
    const [cycles, people, result] = await Promise.all([
      this.cycles.list(auth),
      this.users.list(auth),
      query ? this.recommendations.list(auth, query) : Promise.resolve(null),
    ]);
    const cycleLabels = new Map(cycles.map((c) => [c.id, labels.cycle(c)]));
    const names = new Map(people.map((p) => [p.id, p.name]));
    const selectedIds = new Set(bulk.ids ?? []);
    const search = filterSearch(filters);
    const pageUrl = (page: number) => `/recommendations?${new URLSearchParams({ ...search, page: String(page) })}`;
    const results = result && {
      total: result.total,
      from: result.total === 0 ? 0 : (result.page - 1) * result.pageSize + 1,
      to: (result.page - 1) * result.pageSize + result.items.length,
      page: result.page,
      previousUrl: result.page > 1 ? pageUrl(result.page - 1) : null,
      nextUrl: result.page * result.pageSize < result.total ? pageUrl(result.page + 1) : null,
      items: result.items.map((r) => ({
        id: r.id,
        paragraph: r.paragraph,
        excerpt: excerpt(r.text, 240),
        status: r.status,
        response: r.response,
        themes: r.themes,
        recommendingStates: r.recommendingStates,
        cycle: cycleLabels.get(r.cycleId) ?? labels.t('list.cycleFallback', { id: r.cycleId }),
        pledge: r.kind === 'voluntary_pledge',
        // Listed in a cycle it belongs not to: a close carried it there from its own (earlier) cycle.
        carried: filters.cycleId !== undefined && String(r.cycleId) !== filters.cycleId,
        owners: r.ownerIds.map((id) => names.get(id) ?? `#${id}`),
        checked: selectedIds.has(String(r.id)),
      })),
    };
    const active = people.filter((p) => p.active);
    const mine = String(auth.id);
    return {
      filters,
      errors,
      results,
      assignedToMe: filters.ownerId === mine,
      assignedToMeUrl: `/recommendations?ownerId=${auth.id}`,
      cycleOptions: options(cycles.map((c) => [String(c.id), labels.cycle(c)]), filters.cycleId),
      statusOptions: options(STATUSES.map((s) => [s, s]), filters.status),
      responseOptions: options(RESPONSES.map((r) => [r, r]), filters.response),
      kindOptions: options([['recommendation', labels.t('list.kindRecommendations')], ['voluntary_pledge', labels.t('list.kindPledges')]], filters.kind),
      carriedOptions: options([['false', labels.t('list.carriedFalse')], ['true', labels.t('list.carriedTrue')]], filters.carried),
      ownerOptions: options(active.map((p) => [String(p.id), p.name]), filters.ownerId),
      canBulk: auth.role !== 'member',
      back: new URLSearchParams({ ...search, ...(result && result.page > 1 ? { page: String(result.page) } : {}) }).toString(),
      bulk: {
        ...bulk,
        people: active.map((p) => ({ id: p.id, name: p.name, checked: (bulk.ownerIds ?? []).includes(String(p.id)) })),
        kindOptions: options(DEADLINE_KINDS.map((k) => [k, labels.t(`deadlineKindOptions.${k}`)]), bulk.kind ?? 'other'),
        timeZone: bulk.timeZone ?? people.find((p) => p.id === auth.id)?.timeZone ?? 'UTC',
      },
    };
  }

  /** `labels`: the title, cycle, kinds, audit entries and the evidence rule named in the person's language. */
  async detail(auth: AuthUser, labels: AppLabels, id: number, forms: DetailForms = {}, errors: DetailErrors = {}): Promise<{ title: string; data: object }> {
    const rec = await this.recommendations.get(auth, id);
    const staff = auth.role !== 'member';
    const [cycle, changeable, people, evidence, removedEvidence, deadlines, lineage, changes] = await Promise.all([
      this.cycles.get(auth, rec.cycleId),
      this.recommendations.isChangeable(auth, rec),
      this.users.list(auth),
      this.evidence.list(auth, id),
      this.evidence.removedIds(auth, id),
      this.deadlines.list(auth, { recommendationId: id, page: 1, pageSize: 200 }),
      this.lineage.get(auth, id),
      // The audit trail is for admins and coordinators, as in the API.
      staff ? this.audit.list(auth, Object.assign(new ListAuditQuery(), { recommendationId: id, page: 1, pageSize: 50 })) : null,
    ]);
    const names = new Map(people.map((p) => [p.id, p.name]));
    const evidenceTitles = new Map(evidence.map((e) => [e.id, e.title]));
    const open = cycle.state === 'open';
    // An item carried from a closed cycle is followed on in the open one: changed as if its cycle were open.
    const canEdit = auth.role !== 'member' && changeable;
    const statusForm = forms.status ?? {};
    const cited = new Set(statusForm.evidenceIds ?? []);
    const evidenceForm = forms.evidence ?? {};
    const deadlineForm = forms.deadline ?? {};
    const timeZone = people.find((p) => p.id === auth.id)?.timeZone ?? 'UTC';
    const title = labels.t('rec.title', { ref: rec.paragraph ?? `#${rec.id}` });
    return {
      title,
      data: {
        rec,
        title,
        cycle: { id: cycle.id, label: labels.cycle(cycle), open, state: cycle.state },
        owners: rec.ownerIds.map((o) => names.get(o) ?? `#${o}`),
        predecessor: lineage.chain[0] ?? null,
        // Newest first: the latest change is what people come to see.
        timeline: rec.history
          .map((h) => {
            const titles = h.evidenceIds.filter((e) => evidenceTitles.has(e)).map((e) => evidenceTitles.get(e)!);
            const removed = h.evidenceIds.filter((e) => removedEvidence.includes(e)).length;
            return { ...h, evidenceTitles: titles, removedEvidence: removed, hiddenEvidence: h.evidenceIds.length - titles.length - removed };
          })
          .reverse(),
        // Who may edit or remove an item is EvidenceChanges' rule; the links are only offered where it would agree.
        evidence: evidence.map((e) => ({
          ...e, kindLabel: evidenceKind(labels, e.kind), downloadUrl: e.sha256 ? `/evidence/${e.id}/file` : null, canChange: changeable && (staff || e.submittedById === auth.id),
        })),
        deadlines: deadlines.items.map((d) => ({
          ...d,
          kindLabel: deadlineKind(labels, d.kind),
          assignees: d.assigneeIds.map((a) => names.get(a) ?? `#${a}`),
        })),
        lineage: {
          chain: lineage.chain,
          suggestions: lineage.suggestions.map((s) => ({ ...s, scorePercent: Math.round(s.score * 100), undecided: s.state === 'suggested' })),
        },
        canEdit,
        changes: changes ? { entries: changes.items.map((entry) => auditRow(entry, labels)), total: changes.total, more: changes.total > changes.items.length, allUrl: `/audit?recommendationId=${id}` } : null,
        canAddEvidence: changeable,
        evidenceForm: { ...evidenceForm, kindOptions: options(EVIDENCE_KINDS.map((k) => [k, evidenceKind(labels, k)]), evidenceForm.kind ?? 'document') },
        deadlineForm: {
          ...deadlineForm,
          timeZone: deadlineForm.timeZone ?? timeZone,
          kindOptions: options(DEADLINE_KINDS.map((k) => [k, deadlineKind(labels, k)]), deadlineForm.kind ?? 'other'),
          people: people.filter((p) => p.active).map((p) => ({ id: p.id, name: p.name, checked: (deadlineForm.assigneeIds ?? []).includes(String(p.id)) })),
        },
        statusForm: {
          note: statusForm.note ?? '',
          notePublic: statusForm.notePublic ?? false,
          options: options(rec.allowedNextStatuses.map((s) => [s, s]), statusForm.status),
          needingEvidence: STATUSES_NEEDING_EVIDENCE.map((s) => labels.status(s)).reduce((first, second) => labels.t('rec.and', { first, second })),
          evidence: evidence.map((e) => ({ id: e.id, title: e.title, confidential: e.confidential, checked: cited.has(String(e.id)) })),
        },
        errors,
      },
    };
  }
}

/** An evidence kind's name (English: the code made readable, "Dataset"); an unknown code made readable. */
function evidenceKind(labels: AppLabels, kind: string): string {
  return labels.has(`evidenceKinds.${kind}`) ? labels.t(`evidenceKinds.${kind}`) : humanize(kind);
}

function deadlineKind(labels: AppLabels, kind: string): string {
  return labels.has(`deadlineKindOptions.${kind}`) ? labels.t(`deadlineKindOptions.${kind}`) : humanize(kind);
}

function options(pairs: [string, string][], selected: string | undefined): Option[] {
  return pairs.map(([value, label]) => ({ value, label, selected: value === selected }));
}

/** The filters given, without empty ones, as a query string's parameters. */
export function filterSearch(filters: ListFilters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined && value !== '')) as Record<string, string>;
}
