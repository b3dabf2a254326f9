import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, MinLength,
} from 'class-validator';
import { PageQuery, RecommendationIdList } from '../common/pagination';
import { IsOptionalNotNull } from '../common/validators';
import {
  type ImplementationStatus, RECOMMENDATION_KINDS, RECOMMENDATION_ORIGINS, type RecommendationKind, type RecommendationOrigin, type RecommendationResponse as StateResponse, RESPONSES, STATUSES,
} from '../vocabulary/recommendation.vocabulary';
import { toBoolean, trim, trimEach } from '../common/transforms';

const MAX_TEXT = 20_000;
const MAX_LIST = 100;

export class CreateRecommendationDto {
  @ApiPropertyOptional({ example: '26.49', description: 'Paragraph of the outcome document' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 40)
  paragraph?: string;

  @ApiProperty({ example: 'Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights' })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_TEXT, { message: `text must be between 1 and ${MAX_TEXT} characters` })
  text: string;

  @ApiPropertyOptional({ type: [String], example: ['Portugal', 'Iran (Islamic Republic of)'] })
  @IsOptionalNotNull()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  recommendingStates?: string[];

  @ApiPropertyOptional({ enum: RESPONSES, default: 'pending', description: 'A voluntary pledge always has no_response' })
  @IsOptionalNotNull()
  @IsIn(RESPONSES, { message: `response must be one of: ${RESPONSES.join(', ')}`, context: { allowed: RESPONSES } })
  response?: StateResponse;

  @ApiPropertyOptional({ enum: RECOMMENDATION_KINDS, default: 'recommendation', description: "voluntary_pledge: the State's own commitment (no recommending State, no response)" })
  @IsOptionalNotNull()
  @IsIn(RECOMMENDATION_KINDS, { message: `kind must be one of: ${RECOMMENDATION_KINDS.join(', ')}`, context: { allowed: RECOMMENDATION_KINDS } })
  kind?: RecommendationKind;

  @ApiPropertyOptional({ type: [String], example: ['A12 Acceptance of international norms'] })
  @IsOptionalNotNull()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  themes?: string[];

  @ApiPropertyOptional({ type: [String], example: ['women', 'migrants'] })
  @IsOptionalNotNull()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  affectedPersons?: string[];

  @ApiPropertyOptional({ type: [Number], example: [5, 16], description: 'Sustainable Development Goals, 1 to 17' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @IsInt({ each: true, message: 'sdgs must hold whole numbers from 1 to 17' })
  @Min(1, { each: true, message: 'sdgs must hold whole numbers from 1 to 17' })
  @Max(17, { each: true, message: 'sdgs must hold whole numbers from 1 to 17' })
  sdgs?: number[];

  @ApiPropertyOptional({
    type: [String], example: ['5.1', '16.a'],
    description: 'SDG targets of A/RES/70/1: "5.1", "Target 5.1" or "SDG 5.1" (stored as "5.1"); a target implies its goal. An unknown target is a 400 with the nearest ones',
  })
  @IsOptionalNotNull()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  sdgTargets?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 5, description: 'UPR Info action category: 1 minimal … 5 specific action' })
  @IsOptional()
  @IsInt({ message: 'actionCategory must be a whole number from 1 to 5' })
  @Min(1, { message: 'actionCategory must be a whole number from 1 to 5' })
  @Max(5, { message: 'actionCategory must be a whole number from 1 to 5' })
  actionCategory?: number;

  @ApiPropertyOptional({ type: [Number], description: 'Users of the coalition responsible for it' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @ArrayUnique()
  @IsInt({ each: true, message: 'ownerIds must hold user ids (whole numbers)' })
  ownerIds?: number[];

  @ApiPropertyOptional({ description: 'The same recommendation in an earlier cycle' })
  @IsOptional()
  @IsInt({ message: 'predecessorId must be a recommendation id (a whole number)' })
  predecessorId?: number;
}

/**
 * Everything but the status, which changes only through POST /recommendations/:id/status. (No
 * defaults in CreateRecommendationDto: PartialType copies initialisers, which would reset lists.)
 * null clears paragraph, actionCategory and predecessorId; for any other field it is a 400.
 */
export class UpdateRecommendationDto extends PartialType(CreateRecommendationDto, { skipNullProperties: false }) {}

export class ChangeStatusDto {
  @ApiProperty({ enum: STATUSES })
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}`, context: { allowed: STATUSES } })
  status: ImplementationStatus;

  @ApiProperty({ description: 'Why the status changes; required, kept in the history for good' })
  // Decorators are checked bottom-up and stop at the first failure: the "required" message comes first.
  @Transform(trim)
  @MaxLength(5000)
  @MinLength(1, { message: 'note is required: say why the status changes' })
  @IsString({ message: 'note is required: say why the status changes' })
  note: string;

  @ApiPropertyOptional({ type: [Number], description: 'Evidence of this recommendation that supports the change' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LIST)
  @ArrayUnique()
  @IsInt({ each: true, message: 'evidenceIds must hold evidence ids (whole numbers)' })
  evidenceIds?: number[];

  @ApiPropertyOptional({ default: false, description: "Show the note on the cycle's public ledger (notes are private by default)" })
  @IsOptional()
  // Form posts send "true"; JSON sends true.
  @Transform(toBoolean)
  @IsBoolean({ message: 'notePublic must be true or false' })
  notePublic?: boolean;
}

/** Adds owners to several recommendations at once (the list page's bulk action); owners they already have stay. */
export class AddOwnersDto {
  @RecommendationIdList()
  recommendationIds: number[];

  @ApiProperty({ type: [Number], description: 'Users of the coalition to add as owners' })
  @IsArray({ message: 'ownerIds: choose at least one person' })
  @ArrayMinSize(1, { message: 'ownerIds: choose at least one person' })
  @ArrayMaxSize(MAX_LIST)
  @ArrayUnique()
  @IsInt({ each: true, message: 'ownerIds must hold user ids (whole numbers)' })
  ownerIds: number[];
}

export class AddOwnersResponse {
  @ApiProperty({ description: 'How many of the recommendations gained at least one owner' }) changed: number;
}

export class ListRecommendationsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'cycleId must be a whole number' })
  cycleId?: number;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of: ${STATUSES.join(', ')}`, context: { allowed: STATUSES } })
  status?: ImplementationStatus;

  @ApiPropertyOptional({ enum: RESPONSES })
  @IsOptional()
  @IsIn(RESPONSES, { message: `response must be one of: ${RESPONSES.join(', ')}`, context: { allowed: RESPONSES } })
  response?: StateResponse;

  @ApiPropertyOptional({ enum: RECOMMENDATION_KINDS })
  @IsOptional()
  @IsIn(RECOMMENDATION_KINDS, { message: `kind must be one of: ${RECOMMENDATION_KINDS.join(', ')}`, context: { allowed: RECOMMENDATION_KINDS } })
  kind?: RecommendationKind;

  @ApiPropertyOptional({
    description: 'true: the recommendations carried into the cycle (cycleId) by a cycle close, which belong to earlier cycles; ' +
      'false: only the recommendations received in their cycle. Absent: the cycle\'s own rows',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'carried must be true or false' })
  carried?: boolean;

  @ApiPropertyOptional({ description: 'A UHRI theme: its code ("D23", or "D2" for every theme beneath it), its name, or an alias such as a UPR Info issue ("Death penalty")', example: 'D23' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  theme?: string;

  @ApiPropertyOptional({ description: 'A group of persons (affected persons): its UHRI name or an alias ("LGBTI")', example: 'Women' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  group?: string;

  @ApiPropertyOptional({ description: 'A Sustainable Development Goal ("5", "SDG 5", "Gender equality": the goal and its targets) or a target ("5.1")', example: '5' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  sdg?: string;

  @ApiPropertyOptional({ description: 'A recommending State: its name in any spelling the product knows, an alias of your coalition, or its ISO 3166 alpha-2 or alpha-3 code', example: 'CI' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  recommendingState?: string;

  @ApiPropertyOptional({ description: "The cycle's State under review: a name in any known spelling, an alias, or an ISO 3166 alpha-2 or alpha-3 code", example: 'USA' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  stateUnderReview?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'ownerId must be a whole number' })
  ownerId?: number;

  @ApiPropertyOptional({ description: 'Full-text search of the text; every word must match (stemmed: "tortured" finds "torture")' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

export class PersonRef {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
}

export class CarriedIntoResponse {
  @ApiProperty({ description: 'The cycle it was carried into' }) cycleId: number;
  @ApiProperty({ description: 'The closed cycle it was carried from' }) fromCycleId: number;
  @ApiProperty() carriedAt: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The recurring recommendation of that cycle that continues it; null: followed there as it is' })
  supersededById: number | null;
}

export class RecommendationResponse {
  @ApiProperty() id: number;
  @ApiProperty() cycleId: number;
  @ApiProperty({ nullable: true, type: String }) paragraph: string | null;
  @ApiProperty() text: string;
  @ApiProperty({ type: [String], description: 'Canonical names (the UN short name in English)' }) recommendingStates: string[];
  @ApiProperty({ type: [String], description: 'ISO 3166 alpha-3 code of each recommending State, in the same order; null for a value that names no State', example: ['CIV'] })
  recommendingStateCodes: (string | null)[];
  @ApiProperty({ enum: RESPONSES }) response: StateResponse;
  @ApiProperty({ enum: RECOMMENDATION_KINDS }) kind: RecommendationKind;
  @ApiProperty({ enum: RECOMMENDATION_ORIGINS, description: 'received in its cycle, or carried: a copy made by a cycle close before carry-over kept recommendations whole' })
  origin: RecommendationOrigin;
  @ApiProperty({ type: () => [CarriedIntoResponse], description: 'The later cycles cycle closes carried it into, oldest first; it is followed there until a recurring recommendation supersedes it' })
  carriedInto: CarriedIntoResponse[];
  @ApiProperty({ enum: STATUSES }) status: ImplementationStatus;
  @ApiProperty({ type: [String], description: 'UHRI code and name, "D23 Death penalty" (a value that matches no theme, kept from before issue 12, as written)' }) themes: string[];
  @ApiProperty({ type: [String], nullable: true, description: 'The UHRI code of each theme, in the same order; null for a value kept as written' }) themeCodes: (string | null)[];
  @ApiProperty({ type: [String] }) affectedPersons: string[];
  @ApiProperty({ type: [Number], description: 'The goals, 1 to 17 (of the goals and targets tagged)' }) sdgs: number[];
  @ApiProperty({ type: [String], description: 'The SDG targets tagged, "5.1", in the order given (their goals are in sdgs)' }) sdgTargets: string[];
  @ApiProperty({ type: [String], nullable: true, description: "Each target's text in A/RES/70/1, in the same order as sdgTargets" }) sdgTargetTitles: (string | null)[];
  @ApiProperty({ nullable: true, type: Number }) actionCategory: number | null;
  @ApiProperty({ type: [Number] }) ownerIds: number[];
  @ApiProperty({ nullable: true, type: Number }) predecessorId: number | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class HistoryEntryResponse {
  @ApiProperty() id: number;
  @ApiProperty({ enum: STATUSES }) fromStatus: ImplementationStatus;
  @ApiProperty({ enum: STATUSES }) toStatus: ImplementationStatus;
  @ApiProperty() note: string;
  @ApiProperty({ description: "The note may be shown on the cycle's public ledger" }) notePublic: boolean;
  @ApiProperty({ type: PersonRef }) changedBy: PersonRef;
  @ApiProperty({ type: [Number] }) evidenceIds: number[];
  @ApiProperty() createdAt: string;
}

export class RecommendationDetailResponse extends RecommendationResponse {
  @ApiProperty({ enum: STATUSES, isArray: true }) allowedNextStatuses: ImplementationStatus[];
  @ApiProperty({ type: [HistoryEntryResponse], description: 'Oldest first' }) history: HistoryEntryResponse[];
  @ApiProperty() following: boolean;
  @ApiProperty() followerCount: number;
}

export class RecommendationPage {
  @ApiProperty({ type: [RecommendationResponse] }) items: RecommendationResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class FollowResponse {
  @ApiProperty() recommendationId: number;
  @ApiProperty() following: boolean;
}

