import type { RecommendationKind, TagKind } from '../vocabulary/recommendation.vocabulary';

/** A recommendation as it is written in bulk (an import): its columns and its tags, in order. */
export interface RecommendationToWrite {
  paragraph: string | null;
  text: string;
  textKey: string;
  response: string;
  /** Absent: a recommendation. */
  kind?: RecommendationKind;
  actionCategory: number | null;
  recommendingStates: string[];
  themes: string[];
  affectedPersons: string[];
  sdgs: number[];
  /** Canonical SDG targets ("5.1"); absent: none. */
  sdgTargets?: string[];
}

/** What a bulk write does to one cycle: new recommendations, changed ones, re-tagged ones. */
export interface CycleWrites {
  cycleId: number;
  inserts: RecommendationToWrite[];
  /** Recommendations whose text, response, action category or paragraph changed. */
  updates: { id: number; record: RecommendationToWrite }[];
  /** Recommendations whose descriptors changed: their tags are replaced. */
  retag: { id: number; record: RecommendationToWrite }[];
}

export interface TagRow {
  recommendationId: number;
  coalitionId: number;
  kind: TagKind;
  value: string;
  position: number;
}

/** Where each kind of tag comes from in a recommendation. */
export const TAG_FIELDS: [TagKind, (r: RecommendationToWrite) => string[]][] = [
  ['recommending_state', (r) => r.recommendingStates],
  ['theme', (r) => r.themes],
  ['affected_person', (r) => r.affectedPersons],
  // Goals, then targets (a target alone: its goal follows from it), as the API stores them.
  ['sdg', (r) => [...r.sdgs.map(String), ...(r.sdgTargets ?? [])]],
];

/** Tag values longer than the column are cut, as they always were. */
export const TAG_VALUE_LENGTH = 200;

export function tagRowsOf(recommendationId: number, coalitionId: number, record: RecommendationToWrite, into: TagRow[] = []): TagRow[] {
  for (const [kind, values] of TAG_FIELDS) {
    values(record).forEach((value, position) => into.push({ recommendationId, coalitionId, kind, value: value.slice(0, TAG_VALUE_LENGTH), position }));
  }
  return into;
}
