import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { excerpt } from '../common/text';
import { PersonRef } from '../recommendations/recommendations.dto';
import { type ImplementationStatus, STATUSES } from '../vocabulary/recommendation.vocabulary';
import type { Recommendation } from '../recommendations/recommendation.entity';
import type { AncestorRow, SuggestionRow } from './lineage.repository';
import { LINEAGE_DECISIONS, LINEAGE_STATES, type LineageDecision, type LineageState } from '../vocabulary/lineage.vocabulary';

export class LineageQuery {
  @ApiPropertyOptional({ description: 'Compute the suggestions again (decisions are kept)', default: false })
  @IsOptional()
  // Query strings are text: only "true" and "false" are accepted, not "1" or "yes".
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'refresh must be true or false' })
  refresh?: boolean;
}

export class DecideLineageDto {
  @ApiProperty({ description: 'The recommendation of an earlier cycle that this one repeats (or does not)' })
  @IsInt({ message: 'candidateId must be a recommendation id (a whole number)' })
  @Min(1, { message: 'candidateId must be a recommendation id (a whole number)' })
  candidateId: number;

  @ApiProperty({ enum: LINEAGE_DECISIONS, description: 'confirm: make it the predecessor; reject: never suggest it again' })
  @IsIn(LINEAGE_DECISIONS, { message: `decision must be one of: ${LINEAGE_DECISIONS.join(', ')}`, context: { allowed: LINEAGE_DECISIONS } })
  decision: LineageDecision;
}

export class CycleRef {
  @ApiProperty() id: number;
  @ApiProperty({ description: 'The cycle number, e.g. 3' }) number: number;
}

export class LineageAncestor {
  @ApiProperty() id: number;
  @ApiProperty({ type: CycleRef }) cycle: CycleRef;
  @ApiProperty({ nullable: true, type: String }) paragraph: string | null;
  @ApiProperty({ enum: STATUSES }) status: ImplementationStatus;
}

export class LineageSuggestionResponse {
  @ApiProperty() candidateId: number;
  @ApiProperty({ description: 'Text similarity, 0 to 1' }) score: number;
  @ApiProperty({ enum: LINEAGE_STATES }) state: LineageState;
  @ApiProperty({ type: CycleRef }) cycle: CycleRef;
  @ApiProperty({ nullable: true, type: String }) paragraph: string | null;
  @ApiProperty({ description: 'The first 200 characters of the text' }) excerpt: string;
  @ApiProperty({ enum: STATUSES, description: "The candidate's implementation status" }) status: ImplementationStatus;
  @ApiProperty({ nullable: true, type: PersonRef }) decidedBy: PersonRef | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
}

export class LineageResponse {
  @ApiProperty() recommendationId: number;
  @ApiProperty({ nullable: true, type: Number }) predecessorId: number | null;
  @ApiProperty({ type: [LineageAncestor], description: 'Predecessors through predecessorId, nearest first' }) chain: LineageAncestor[];
  @ApiProperty({ type: [LineageSuggestionResponse], description: 'Confirmed, then suggested (best first, at most 5), then rejected' })
  suggestions: LineageSuggestionResponse[];
}

export function mapLineage(recommendation: Recommendation, chain: AncestorRow[], suggestions: SuggestionRow[]): LineageResponse {
  return {
    recommendationId: recommendation.id,
    predecessorId: recommendation.predecessorId,
    chain: chain.map((a) => ({ id: a.id, cycle: { id: a.cycleId, number: a.cycleNumber }, paragraph: a.paragraph, status: a.status })),
    suggestions: suggestions.map(({ suggestion, candidate, decidedByName }) => ({
      candidateId: candidate.id,
      score: suggestion.score,
      state: suggestion.state,
      cycle: { id: candidate.cycleId, number: candidate.cycleNumber },
      paragraph: candidate.paragraph,
      excerpt: excerpt(candidate.text),
      status: candidate.status,
      decidedBy: suggestion.decidedById === null ? null : { id: suggestion.decidedById, name: decidedByName ?? '' },
      decidedAt: suggestion.decidedAt?.toISOString() ?? null,
    })),
  };
}
