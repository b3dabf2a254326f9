import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { PageOf } from '../common/pagination';
import { IsCalendarDate, IsOptionalNotNull } from '../common/validators';
import { CYCLE_STATES, type CycleState, type Mechanism, MECHANISMS, type Participation, PARTICIPATIONS } from '../vocabulary/cycle.vocabulary';
import { ReviewCycle } from './review-cycle.entity';
import { trim } from '../common/transforms';

export class CreateCycleDto {
  @ApiPropertyOptional({ enum: MECHANISMS, default: 'upr' })
  @IsOptionalNotNull()
  @IsIn(MECHANISMS, { message: `mechanism must be one of: ${MECHANISMS.join(', ')}`, context: { allowed: MECHANISMS } })
  mechanism?: Mechanism;

  @ApiProperty({ example: 4, description: 'The cycle number of the mechanism (UPR: 1 to 4)' })
  @IsInt({ message: 'number must be a whole number' })
  @Min(1)
  @Max(99)
  number: number;

  @ApiProperty({ example: 'United States of America' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  stateUnderReview: string;

  @ApiPropertyOptional({ example: '36 – Nov 2020' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  session?: string;

  @ApiPropertyOptional({ example: 'A/HRC/46/15' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  documentSymbol?: string;

  @ApiPropertyOptional({ example: '2020-03-19' })
  @IsOptional()
  @IsCalendarDate()
  stakeholderSubmissionDate?: string;

  @ApiPropertyOptional({ example: '2020-11-09' })
  @IsOptional()
  @IsCalendarDate()
  reviewDate?: string;

  @ApiPropertyOptional({ example: '2021-03-18' })
  @IsOptional()
  @IsCalendarDate()
  adoptionDate?: string;

  @ApiPropertyOptional({ example: '2023-03-18' })
  @IsOptional()
  @IsCalendarDate()
  midTermReportDate?: string;

  @ApiPropertyOptional({ example: '2025-11-01' })
  @IsOptional()
  @IsCalendarDate()
  closeDate?: string;

  @ApiPropertyOptional({
    enum: PARTICIPATIONS, default: 'participated',
    description: 'Whether the State took part in the review; did_not_participate sets the response of every recommendation of the cycle to no_response',
  })
  @IsOptionalNotNull()
  @IsIn(PARTICIPATIONS, { message: `participation must be one of: ${PARTICIPATIONS.join(', ')}`, context: { allowed: PARTICIPATIONS } })
  participation?: Participation;
}

/** null is accepted only where the column allows it (it clears the value); elsewhere it is a 400. */
export class UpdateCycleDto extends PartialType(CreateCycleDto, { skipNullProperties: false }) {}

export class CycleResponse {
  @ApiProperty() id: number;
  @ApiProperty({ enum: MECHANISMS }) mechanism: Mechanism;
  @ApiProperty() number: number;
  @ApiProperty({ description: 'The canonical name (UN short name in English) when it names a State' }) stateUnderReview: string;
  @ApiProperty({ nullable: true, type: String, description: 'ISO 3166 alpha-3 code of the State under review; null for a name that is no State', example: 'USA' })
  stateUnderReviewCode: string | null;
  @ApiProperty({ nullable: true, type: String }) session: string | null;
  @ApiProperty({ nullable: true, type: String }) documentSymbol: string | null;
  @ApiProperty({ nullable: true, type: String }) stakeholderSubmissionDate: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewDate: string | null;
  @ApiProperty({ nullable: true, type: String }) adoptionDate: string | null;
  @ApiProperty({ nullable: true, type: String }) midTermReportDate: string | null;
  @ApiProperty({ nullable: true, type: String }) closeDate: string | null;
  @ApiProperty({ enum: CYCLE_STATES }) state: CycleState;
  @ApiProperty({ enum: PARTICIPATIONS, description: 'Whether the State took part in the review' }) participation: Participation;
  @ApiProperty({ nullable: true, type: String, description: 'When the cycle was closed' }) closedAt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The cycle its unfinished recommendations were carried into' }) nextCycleId: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'When an admin published the public ledger (GET /ledger/:id); null: not public' }) publishedAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class CyclePage extends PageOf(CycleResponse) {}

/** `stateCode`: the alpha-3 code of a canonical name (StatesService.shippedDirectory), or null. */
export function mapCycle(cycle: ReviewCycle, stateCode: (name: string) => string | null): CycleResponse {
  return {
    id: cycle.id,
    mechanism: cycle.mechanism,
    number: cycle.number,
    stateUnderReview: cycle.stateUnderReview,
    stateUnderReviewCode: stateCode(cycle.stateUnderReview),
    session: cycle.session,
    documentSymbol: cycle.documentSymbol,
    stakeholderSubmissionDate: cycle.stakeholderSubmissionDate,
    reviewDate: cycle.reviewDate,
    adoptionDate: cycle.adoptionDate,
    midTermReportDate: cycle.midTermReportDate,
    closeDate: cycle.closeDate,
    state: cycle.state,
    participation: cycle.participation,
    closedAt: cycle.closedAt?.toISOString() ?? null,
    nextCycleId: cycle.nextCycleId,
    publishedAt: cycle.publishedAt?.toISOString() ?? null,
    createdAt: cycle.createdAt.toISOString(),
    updatedAt: cycle.updatedAt.toISOString(),
  };
}
