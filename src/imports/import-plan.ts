import { TAG_FIELDS, TAG_VALUE_LENGTH } from '../recommendations/recommendation-rows';
import type { TagKind } from '../vocabulary/recommendation.vocabulary';
import type { MergedRecommendation, SourceCycle } from './import-merge';

/** What matching needs of a recommendation a cycle already holds. */
export interface ExistingRecommendation {
  id: number;
  paragraph: string | null;
  text: string;
  textKey: string | null;
  response: string;
  kind: string;
  actionCategory: number | null;
  predecessorId: number | null;
}

export interface ExistingTag {
  recommendationId: number;
  kind: TagKind;
  value: string;
}

/** What importing one source cycle into its cycle does, decided before anything is written. */
export interface CyclePlan {
  inserts: MergedRecommendation[];
  /** Recommendations whose text, response, kind, action category or paragraph changed. */
  updates: { id: number; record: MergedRecommendation }[];
  /** Recommendations whose descriptors changed: their tags are replaced. */
  retag: { id: number; record: MergedRecommendation }[];
  updated: number;
  unchanged: number;
}

/**
 * Matches a source cycle against what its cycle holds, by natural key: paragraph, else the text
 * with white space collapsed. The same for both databases; only the writing differs.
 */
export function planCycle(source: SourceCycle, existing: ExistingRecommendation[], existingTags: ExistingTag[]): CyclePlan {
  const plan: CyclePlan = { inserts: [], updates: [], retag: [], updated: 0, unchanged: 0 };
  if (existing.length === 0) {
    plan.inserts = [...source.recommendations.values()];
    return plan;
  }
  const byParagraph = new Map(existing.filter((r) => r.paragraph).map((r) => [r.paragraph!, r]));
  const byTextKey = new Map(existing.map((r) => [r.textKey, r]));
  const tagsOf = groupTags(existingTags);
  for (const record of source.recommendations.values()) {
    const byNumber = record.paragraph ? byParagraph.get(record.paragraph) : undefined;
    // A recommendation carried over by a cycle close keeps its old paragraph number: the new
    // outcome document's paragraph of that number is a different recommendation unless the text agrees.
    const sameParagraph = byNumber && (byNumber.predecessorId === null || byNumber.textKey === record.textKey) ? byNumber : undefined;
    const match = sameParagraph ?? byTextKey.get(record.textKey);
    if (!match) {
      plan.inserts.push(record);
      continue;
    }
    const fieldsSame = match.text === record.text && match.response === record.response && match.kind === (record.kind ?? 'recommendation') && match.actionCategory === record.actionCategory
      && (match.paragraph ?? null) === (record.paragraph ?? null);
    const tagsSame = TAG_FIELDS.every(([kind, values]) => sameList(tagsOf.get(match.id)?.[kind] ?? [], values(record)));
    if (fieldsSame && tagsSame) {
      plan.unchanged += 1;
      continue;
    }
    if (!fieldsSame) plan.updates.push({ id: match.id, record });
    if (!tagsSame) plan.retag.push({ id: match.id, record });
    plan.updated += 1;
  }
  return plan;
}

/** The tag rows of one recommendation, in the order the source gives them. */
function groupTags(tags: ExistingTag[]): Map<number, Record<TagKind, string[]>> {
  const byId = new Map<number, Record<TagKind, string[]>>();
  for (const tag of tags) {
    const entry = byId.get(tag.recommendationId) ?? { recommending_state: [], theme: [], affected_person: [], sdg: [] };
    entry[tag.kind].push(tag.value);
    byId.set(tag.recommendationId, entry);
  }
  return byId;
}

function sameList(a: string[], b: string[]): boolean {
  const right = b.map((v) => v.slice(0, TAG_VALUE_LENGTH));
  return a.length === right.length && a.every((value, i) => value === right[i]);
}
