import type { TagKind } from '../vocabulary/recommendation.vocabulary';
import type { HistoryEntryResponse, RecommendationResponse } from './recommendations.dto';
import type { CarryLink, HistoryRow, RecommendationSummary } from './recommendations.repository';

/**
 * An entity or a listing row: both carry the same fields. `stateCode` gives a stored (canonical)
 * State's alpha-3 code, or null for a value kept as written (UPR Info's "(Unknown)", older rows);
 * `carried`, the cycles it was carried into; `theme`, a stored theme code's code and label ("D23 Death
 * penalty"), or null for a value kept as written; `sdgTitle`, a target's text in A/RES/70/1.
 */
export function mapRecommendation(
  r: RecommendationSummary, tags: Record<TagKind, string[]>, ownerIds: number[], stateCode: (name: string) => string | null, carried: CarryLink[] = [],
  theme: (stored: string) => { code: string; label: string } | null = () => null, sdgTitle: (code: string) => string | null = () => null,
): RecommendationResponse {
  const targets = tags.sdg.filter((v) => v.includes('.'));
  const themes = tags.theme.map((value) => theme(value));
  return {
    id: r.id,
    cycleId: r.cycleId,
    paragraph: r.paragraph,
    text: r.text,
    recommendingStates: tags.recommending_state,
    recommendingStateCodes: tags.recommending_state.map(stateCode),
    response: r.response,
    kind: r.kind,
    origin: r.origin,
    carriedInto: carried.map((c) => ({ cycleId: c.cycleId, fromCycleId: c.fromCycleId, carriedAt: c.carriedAt.toISOString(), supersededById: c.supersededById })),
    status: r.status,
    themes: themes.map((t, i) => t?.label ?? tags.theme[i]),
    themeCodes: themes.map((t) => t?.code ?? null),
    affectedPersons: tags.affected_person,
    // Stored as "5" (a goal) or "5.1" (a target): the goals of both, and the targets.
    sdgs: [...new Set(tags.sdg.map((v) => Number(v.split('.')[0])))].sort((a, b) => a - b),
    sdgTargets: targets,
    sdgTargetTitles: targets.map(sdgTitle),
    actionCategory: r.actionCategory,
    ownerIds,
    predecessorId: r.predecessorId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function mapHistoryEntry(row: HistoryRow): HistoryEntryResponse {
  return {
    id: row.change.id,
    fromStatus: row.change.fromStatus,
    toStatus: row.change.toStatus,
    note: row.change.note,
    notePublic: row.change.notePublic,
    changedBy: { id: row.change.changedById, name: row.changedByName },
    evidenceIds: row.evidenceIds,
    createdAt: row.change.createdAt.toISOString(),
  };
}
