import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { PageQuery, RecommendationIdList } from '../common/pagination';
import { IsCalendarDate, IsLocalTime, IsOptionalNotNull, IsTimeZone } from '../common/validators';
import { Deadline } from './deadline.entity';
import { DEADLINE_KINDS, DEADLINE_STATES, type DeadlineKind, type DeadlineState } from '../vocabulary/deadline.vocabulary';
import { trim } from '../common/transforms';

export class CreateDeadlineDto {
  @ApiPropertyOptional({ description: 'The recommendation it is for; give this or cycleId' })
  @ValidateIf((dto: CreateDeadlineDto) => dto.recommendationId !== undefined || dto.cycleId === undefined)
  @IsInt({ message: 'recommendationId or cycleId is required (a whole number)' })
  recommendationId?: number;

  @ApiPropertyOptional({ description: 'The whole cycle it is for; give this or recommendationId' })
  @ValidateIf((dto: CreateDeadlineDto) => dto.cycleId !== undefined || dto.recommendationId === undefined)
  @IsInt({ message: 'cycleId or recommendationId is required (a whole number)' })
  cycleId?: number;

  @ApiProperty({ enum: DEADLINE_KINDS })
  @IsIn(DEADLINE_KINDS, { message: `kind must be one of: ${DEADLINE_KINDS.join(', ')}`, context: { allowed: DEADLINE_KINDS } })
  kind: DeadlineKind;

  @ApiPropertyOptional({ example: 'Evidence on detention conditions' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiProperty({ example: '2026-12-15', description: 'Local date, YYYY-MM-DD' })
  @IsCalendarDate()
  dueDate: string;

  @ApiPropertyOptional({ example: '17:00', description: 'Local time HH:MM; without it the deadline is at the end of the day' })
  @IsOptional()
  @IsLocalTime()
  dueTime?: string;

  @ApiProperty({ example: 'America/New_York' })
  @IsTimeZone()
  timeZone: string;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsInt({ each: true, message: 'assigneeIds must hold user ids (whole numbers)' })
  assigneeIds?: number[];
}

/** The same deadline for each of several recommendations (the list page's bulk action). */
export class CreateDeadlinesDto extends OmitType(CreateDeadlineDto, ['recommendationId', 'cycleId'] as const) {
  @RecommendationIdList()
  recommendationIds: number[];
}

/** What can change after creation; the target (recommendation or cycle) cannot. */
export class UpdateDeadlineDto {
  @ApiPropertyOptional({ enum: DEADLINE_KINDS })
  @IsOptionalNotNull()
  @IsIn(DEADLINE_KINDS, { message: `kind must be one of: ${DEADLINE_KINDS.join(', ')}`, context: { allowed: DEADLINE_KINDS } })
  kind?: DeadlineKind;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsCalendarDate()
  dueDate?: string;

  @ApiPropertyOptional({ nullable: true, description: 'null removes the time (end of day)' })
  @ValidateIf((dto: UpdateDeadlineDto) => dto.dueTime !== undefined && dto.dueTime !== null)
  @IsLocalTime()
  dueTime?: string | null;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ enum: DEADLINE_STATES, description: 'done marks it met' })
  @IsOptionalNotNull()
  @IsIn(DEADLINE_STATES, { message: `state must be one of: ${DEADLINE_STATES.join(', ')}`, context: { allowed: DEADLINE_STATES } })
  state?: DeadlineState;

  @ApiPropertyOptional({ type: [Number] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsInt({ each: true, message: 'assigneeIds must hold user ids (whole numbers)' })
  assigneeIds?: number[];
}

export class ListDeadlinesQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'cycleId must be a whole number' })
  cycleId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'recommendationId must be a whole number' })
  recommendationId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'assigneeId must be a whole number' })
  assigneeId?: number;

  @ApiPropertyOptional({ enum: DEADLINE_STATES })
  @IsOptional()
  @IsIn(DEADLINE_STATES, { message: `state must be one of: ${DEADLINE_STATES.join(', ')}`, context: { allowed: DEADLINE_STATES } })
  state?: DeadlineState;
}

export class DeadlineResponse {
  @ApiProperty() id: number;
  @ApiProperty({ nullable: true, type: Number }) recommendationId: number | null;
  @ApiProperty() cycleId: number;
  @ApiProperty({ enum: DEADLINE_KINDS }) kind: DeadlineKind;
  @ApiProperty({ nullable: true, type: String }) title: string | null;
  @ApiProperty() dueDate: string;
  @ApiProperty({ nullable: true, type: String }) dueTime: string | null;
  @ApiProperty() timeZone: string;
  @ApiProperty({ description: 'The same moment in UTC' }) dueAt: string;
  @ApiProperty({ enum: DEADLINE_STATES }) state: DeadlineState;
  @ApiProperty() version: number;
  @ApiProperty({ type: [Number] }) assigneeIds: number[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class DeadlinePage {
  @ApiProperty({ type: [DeadlineResponse] }) items: DeadlineResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export function mapDeadline(deadline: Deadline, assigneeIds: number[]): DeadlineResponse {
  return {
    id: deadline.id,
    recommendationId: deadline.recommendationId,
    cycleId: deadline.cycleId,
    kind: deadline.kind,
    title: deadline.title,
    dueDate: deadline.dueDate,
    dueTime: deadline.dueTime,
    timeZone: deadline.timeZone,
    dueAt: deadline.dueAt.toISOString(),
    state: deadline.state,
    version: deadline.version,
    assigneeIds,
    createdAt: deadline.createdAt.toISOString(),
    updatedAt: deadline.updatedAt.toISOString(),
  };
}
