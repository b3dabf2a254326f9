import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional } from 'class-validator';
import { IMPORT_FORMATS, type ImportFormat } from './import-record';
import { toBoolean } from '../common/transforms';
import { MECHANISMS, type Mechanism } from '../vocabulary/cycle.vocabulary';

const FORMATS = ['auto', ...IMPORT_FORMATS] as const;

/** The text fields of POST /imports; the file itself is the multipart field "file". */
export class ImportRequestDto {
  @ApiPropertyOptional({ enum: FORMATS, default: 'auto' })
  @IsOptional()
  @IsIn(FORMATS, { message: `format must be one of: ${FORMATS.join(', ')}`, context: { allowed: FORMATS } })
  format?: ImportFormat | 'auto';

  @ApiPropertyOptional({ description: 'Put everything into this cycle instead of finding or creating one per State and session' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'cycleId must be a cycle id (a whole number)' })
  cycleId?: number;

  @ApiPropertyOptional({ default: false, description: 'Count what would change and write nothing' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Import the good rows even if some are bad (default: all or nothing)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'partial must be true or false' })
  partial?: boolean;
}

export class RowProblemResponse {
  @ApiProperty() line: number;
  @ApiPropertyOptional() field?: string;
  @ApiProperty({ description: 'Why, in words' }) problem: string;
  @ApiProperty({ description: 'Why, as a code (the pages say it in the reader\'s language from it)', example: 'notAResponse' }) code: string;
  @ApiPropertyOptional({ description: 'The values the reason names: the file\'s own words and numbers', example: { value: '"Maybe"' } }) values?: Record<string, string | number>;
}

export class UnknownNameResponse {
  @ApiProperty({ example: 'recommendingStates' }) field: string;
  @ApiProperty({ example: 'Republic of Atlantis' }) value: string;
  @ApiProperty({ type: [String], description: 'The closest canonical names, best first' }) suggestions: string[];
}

export class CycleSummaryResponse {
  @ApiProperty({ nullable: true, type: Number }) cycleId: number | null;
  @ApiProperty() label: string;
  @ApiProperty({ enum: MECHANISMS }) mechanism: Mechanism;
  @ApiProperty() number: number;
  @ApiProperty() stateUnderReview: string;
  @ApiProperty({ nullable: true, type: String }) session: string | null;
  @ApiProperty() createdCycle: boolean;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
}

export class ImportSummaryResponse {
  @ApiProperty() file: string;
  @ApiProperty({ enum: IMPORT_FORMATS }) format: ImportFormat;
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'False when nothing was written' }) committed: boolean;
  @ApiProperty() rows: number;
  @ApiProperty() recommendations: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() unchanged: number;
  @ApiProperty() rejected: number;
  @ApiProperty() duplicates: number;
  @ApiProperty() cyclesCreated: number;
  @ApiProperty({ type: [CycleSummaryResponse] }) cycles: CycleSummaryResponse[];
  @ApiProperty({ type: [RowProblemResponse], description: 'The first 1,000 problems' }) problems: RowProblemResponse[];
  @ApiPropertyOptional({ description: 'Problems beyond the first 1,000, counted but not listed' }) problemsNotListed?: number;
  @ApiProperty({ type: [UnknownNameResponse], description: 'Names that match nothing (field: a State field, themes, affectedPersons or sdgTargets), with the closest entries; a real import with any is refused' }) unknownNames: UnknownNameResponse[];
  @ApiPropertyOptional() lineageSuggestions?: number;
  @ApiPropertyOptional() lineageNote?: string;
  @ApiProperty() seconds: number;
}
