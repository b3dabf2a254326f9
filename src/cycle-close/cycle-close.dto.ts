import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { IsCalendarDate } from '../common/validators';
import { CycleResponse, mapCycle } from '../cycles/cycles.dto';
import type { ReviewCycle } from '../cycles/review-cycle.entity';
import { trim } from '../common/transforms';

export class NextCycleDto {
  @ApiProperty({ example: 4, description: 'Number of the next cycle; above the closed one (usually its number + 1)' })
  @IsInt({ message: 'number must be a whole number' })
  @Min(1)
  @Max(99)
  number: number;

  @ApiPropertyOptional({ example: '50 – Nov 2025' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  session?: string;

  @ApiPropertyOptional({ example: '2025-11-07' })
  @IsOptional()
  @IsCalendarDate()
  reviewDate?: string;

  @ApiPropertyOptional({ example: 'A/HRC/61/10' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  documentSymbol?: string;
}

export class CloseCycleDto {
  @ApiPropertyOptional({ default: false, description: 'Close although deadlines are open, marking them done' })
  @IsOptional()
  @IsBoolean({ message: 'force must be true or false' })
  force?: boolean;

  @ApiPropertyOptional({ type: NextCycleDto, description: 'The cycle to carry unfinished recommendations into; default: number + 1. An open cycle with that number is used if there is one' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NextCycleDto)
  nextCycle?: NextCycleDto;
}

export class CarriedRecommendation {
  @ApiProperty({ description: 'The recommendation in the closed cycle' }) fromId: number;
  @ApiProperty({ description: 'Its successor in the next cycle (predecessorId = fromId)' }) toId: number;
}

export class CarriedItem {
  @ApiProperty({ description: 'The recommendation carried: the same one, with its status, evidence and history (never a copy)' }) recommendationId: number;
  @ApiProperty({ description: 'Its own cycle: the closed one, or an earlier one it had been carried from' }) cycleId: number;
}

/** What a close did; kept as JSON on the closed cycle, so that closing again answers exactly the same. */
export interface CloseSummary {
  closedAt: string;
  nextCycleId: number;
  nextCycleCreated: boolean;
  /** Closes before carry-over became a link recorded { fromId, toId } pairs (toId: the copy); read as the copy carried. */
  carried: (CarriedItem | CarriedRecommendation)[];
  alreadyInNextCycle: CarriedRecommendation[];
  fullyImplementedLeftBehind: number;
  deadlinesCompleted: number[];
}

export class CloseReportFiles {
  @ApiProperty({ nullable: true, type: String, example: 'reports/cycle-3-close.html', description: 'Relative to DATA_DIR; null if it could not be written' })
  html: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'reports/cycle-3-close.json' })
  json: string | null;
}

export class CycleCloseResponse {
  @ApiProperty({ type: CycleResponse, description: 'The closed cycle' }) cycle: CycleResponse;
  @ApiProperty({ type: CycleResponse }) nextCycle: CycleResponse;
  @ApiProperty({ description: 'Whether the close created the next cycle (false: an existing open one was used)' }) nextCycleCreated: boolean;
  @ApiProperty({ description: 'Unfinished recommendations carried into the next cycle (linked, not copied; counted apart from what it receives)' }) carriedOver: number;
  @ApiProperty({ type: [CarriedItem] }) carried: CarriedItem[];
  @ApiProperty({ type: [CarriedRecommendation], description: 'Unfinished recommendations that already had a successor in the next cycle (not copied again)' })
  alreadyInNextCycle: CarriedRecommendation[];
  @ApiProperty({ description: 'Fully implemented recommendations, not carried' }) fullyImplementedLeftBehind: number;
  @ApiProperty({ type: [Number], description: 'Open deadlines the close marked done (force)' }) deadlinesCompleted: number[];
  @ApiProperty({ type: CloseReportFiles }) reports: CloseReportFiles;
}

export function mapCycleClose(cycle: ReviewCycle, nextCycle: ReviewCycle, summary: CloseSummary, reports: CloseReportFiles, stateCode: (name: string) => string | null): CycleCloseResponse {
  return {
    cycle: mapCycle(cycle, stateCode),
    nextCycle: mapCycle(nextCycle, stateCode),
    nextCycleCreated: summary.nextCycleCreated,
    carriedOver: summary.carried.length,
    carried: summary.carried.map((c) => ('recommendationId' in c ? c : { recommendationId: c.toId, cycleId: summary.nextCycleId })),
    alreadyInNextCycle: summary.alreadyInNextCycle,
    fullyImplementedLeftBehind: summary.fullyImplementedLeftBehind,
    deadlinesCompleted: summary.deadlinesCompleted,
    reports,
  };
}
