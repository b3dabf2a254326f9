import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageOf, PageQuery } from '../common/pagination';
import { trim } from '../common/transforms';
import {
  QUEUE_STATES, type QueueState, TESTIMONY_CONSENTS, TESTIMONY_STATES, type TestimonyConsent, type TestimonyState,
} from '../vocabulary/testimony.vocabulary';
import type { Testimony, TestimonyFile, TestimonyIntake } from './testimony.entity';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$/;
const SLUG_HELP = 'slug must be 3 to 60 lower-case letters, digits and dashes, starting and ending with a letter or digit (e.g. peoples-upr-2026)';

export class EnableIntakeDto {
  @ApiProperty({ example: 'peoples-upr-2026', description: 'The intake\'s address: /api/v1/public/testimonies/<slug>' })
  @Transform(trim)
  @IsString({ message: SLUG_HELP })
  @Matches(SLUG_PATTERN, { message: SLUG_HELP })
  slug: string;
}

export class IntakeSettingsResponse {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ nullable: true, type: String }) slug: string | null;
  /** Where programs send testimony (the API); people use the form at /testify/<slug>. */
  @ApiProperty({ nullable: true, type: String }) submitPath: string | null;
}

export function mapIntakeSettings(intake: TestimonyIntake | null): IntakeSettingsResponse {
  return {
    enabled: intake?.enabled ?? false,
    slug: intake?.slug ?? null,
    submitPath: intake?.enabled ? `/api/v1/public/testimonies/${intake.slug}` : null,
  };
}

/** A multipart form sends a list as one field per value: one value arrives as a string. */
const oneOrMany = ({ value }: { value: unknown }) =>
  (typeof value === 'string' ? [value.trim()] : Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.trim() : item)) : value);

const LANGUAGE_HELP = 'language must be a language code such as en, es, fr or ht';

/** What a person sends (JSON, or the text fields of a multipart request whose files are in "files"). */
export class SubmitTestimonyDto {
  @ApiProperty({ description: 'What happened, in the person\'s own words' })
  @IsString()
  @Length(1, 50_000, { message: 'text: write what happened (1 to 50,000 characters)' })
  text: string;

  @ApiProperty({ enum: TESTIMONY_CONSENTS, description: 'internal: the coalition only; anonymised: may be quoted without anything that identifies you; public: may be published with your name' })
  @IsIn(TESTIMONY_CONSENTS, { message: `consent must be one of: ${TESTIMONY_CONSENTS.join(', ')}`, context: { allowed: TESTIMONY_CONSENTS } })
  consent: TestimonyConsent;

  @ApiProperty({ example: 'es' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString({ message: LANGUAGE_HELP })
  @Matches(/^[a-z]{2,3}(-[a-z0-9]{2,4})?$/, { message: LANGUAGE_HELP })
  language: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) place?: string;
  @ApiPropertyOptional({ description: 'When it happened (free text: a date, a month, "last winter")' }) @IsOptional() @IsString() @MaxLength(200) date?: string;
  @ApiPropertyOptional({ description: 'The agency or authority involved' }) @IsOptional() @IsString() @MaxLength(500) agency?: string;
  @ApiPropertyOptional({ description: 'How the coalition may reach the person, if at all' }) @IsOptional() @IsString() @MaxLength(500) contact?: string;

  /** Stored sealed with the text as canonical codes (a theme can say much about a person). */
  @ApiPropertyOptional({ type: [String], example: ['D5 Administration of justice'], description: 'UHRI themes: codes, names or aliases' })
  @IsOptional()
  @Transform(oneOrMany)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  themes?: string[];

  @ApiPropertyOptional({ type: [String], example: ['Migrants'], description: 'Groups of persons affected: names or aliases' })
  @IsOptional()
  @Transform(oneOrMany)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  affectedPersons?: string[];

  /** Hidden from people in the form; a bot that fills every field fills it too (see the service). */
  @ApiPropertyOptional({ description: 'Leave empty' }) @IsOptional() @IsString() @MaxLength(2000) website?: string;
}

export class AddToTestimonyDto {
  @ApiProperty({ description: 'The receipt given when the testimony was sent' })
  @IsString()
  @MaxLength(100)
  receipt: string;

  @ApiPropertyOptional({ description: 'What the person adds' })
  @IsOptional()
  @IsString()
  @Length(1, 50_000, { message: 'text: 1 to 50,000 characters' })
  text?: string;

  @ApiPropertyOptional({ description: 'Leave empty' }) @IsOptional() @IsString() @MaxLength(2000) website?: string;
}

export class WithdrawTestimonyDto {
  @ApiProperty() @IsString() @MaxLength(100) receipt: string;
}

export class ReceiptResponse {
  @ApiProperty({ description: 'Shown once: keep it to add to the testimony or withdraw it', example: '7K2Q-9M4D-…' })
  receipt: string;
}

export class AddedResponse {
  @ApiProperty() added: boolean;
}

export class WithdrawnResponse {
  @ApiProperty() withdrawn: boolean;
  @ApiProperty() withdrawnAt: string;
}

export class TestimonyQueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TESTIMONY_STATES })
  @IsOptional()
  @IsIn(TESTIMONY_STATES, { message: `state must be one of: ${TESTIMONY_STATES.join(', ')}`, context: { allowed: TESTIMONY_STATES } })
  state?: TestimonyState;

  /** Named as the recommendations' filters are (theme, group), and resolved the same way. */
  @ApiPropertyOptional({ description: 'A coordinator\'s theme tag: its UHRI code ("D23", or "D2" for every theme beneath it), its name or an alias', example: 'D23' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  theme?: string;

  @ApiPropertyOptional({ description: 'A coordinator\'s tag of a group of persons: its UHRI name or an alias ("LGBTI")', example: 'Migrants' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  group?: string;
}

/** Triage: the queue state and the tags, each optional (a field left out is left as it is). */
export class TriageTestimonyDto {
  @ApiPropertyOptional({ enum: QUEUE_STATES })
  @IsOptional()
  @IsIn(QUEUE_STATES, { message: `state must be one of: ${QUEUE_STATES.join(', ')} (only the person who testified can withdraw it)`, context: { allowed: QUEUE_STATES } })
  state?: QueueState;

  @ApiPropertyOptional({ type: [String], description: 'Themes: UHRI codes, names or the coalition\'s aliases, stored as codes; [] clears them' })
  @IsOptional()
  @IsArray({ message: 'themes must be a list of theme codes or names' })
  @ArrayMaxSize(50)
  @IsString({ each: true, message: 'themes must be a list of theme codes or names' })
  @MaxLength(200, { each: true })
  themes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Affected groups of persons: names or aliases, stored as canonical names; [] clears them' })
  @IsOptional()
  @IsArray({ message: 'affectedPersons must be a list of groups of persons' })
  @ArrayMaxSize(50)
  @IsString({ each: true, message: 'affectedPersons must be a list of groups of persons' })
  @MaxLength(200, { each: true })
  affectedPersons?: string[];
}

export class ExcerptDto {
  @ApiProperty({ description: 'The anonymised excerpt, as it may be cited: nothing in it may identify the person' })
  @Transform(trim)
  @IsString({ message: 'text: write the anonymised excerpt (1 to 5,000 characters)' })
  @Length(1, 5_000, { message: 'text: write the anonymised excerpt (1 to 5,000 characters)' })
  text: string;
}

/** The coordinators' own tags, canonical: theme codes and group names. */
export class TestimonyTags {
  @ApiProperty({ type: [String], description: 'UHRI theme codes' }) themes: string[];
  @ApiProperty({ type: [String], description: 'Groups of persons' }) affectedPersons: string[];
}

/** A row of the queue: nothing of what the person wrote. */
export class TestimonySummary {
  @ApiProperty() id: number;
  @ApiProperty({ enum: TESTIMONY_STATES }) state: TestimonyState;
  @ApiProperty({ enum: TESTIMONY_CONSENTS, nullable: true }) consent: TestimonyConsent | null;
  @ApiProperty({ nullable: true, type: String }) language: string | null;
  @ApiProperty() fileCount: number;
  @ApiProperty() receivedAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String }) withdrawnAt: string | null;
  @ApiProperty({ type: () => TestimonyTags, description: "The coordinators' tags (triage), apart from the themes and groups the person chose" }) tags: TestimonyTags;
  @ApiProperty({ nullable: true, type: String, description: 'The coordinator\'s anonymised excerpt (consent anonymised or public only)' }) excerpt: string | null;
}

export class TestimonyPage extends PageOf(TestimonySummary) {}

export class TestimonyAddition {
  @ApiProperty() text: string;
  @ApiProperty() at: string;
}

export class TestimonyFileResponse {
  @ApiProperty() id: number;
  @ApiProperty() mimeType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() addedAt: string;
}

/** The sealed document: what the person wrote, decrypted only for a coordinator's read. */
export interface TestimonyContent {
  text: string;
  place: string | null;
  date: string | null;
  agency: string | null;
  contact: string | null;
  /** Canonical theme codes and group names (absent in testimonies sent before they were asked). */
  themes?: string[];
  affectedPersons?: string[];
  additions: TestimonyAddition[];
}

export class TestimonyResponse extends TestimonySummary {
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, type: String }) place: string | null;
  @ApiProperty({ nullable: true, type: String }) date: string | null;
  @ApiProperty({ nullable: true, type: String }) agency: string | null;
  @ApiProperty({ nullable: true, type: String }) contact: string | null;
  @ApiProperty({ type: [String] }) themes: string[];
  @ApiProperty({ type: [String] }) affectedPersons: string[];
  @ApiProperty({ type: [TestimonyAddition] }) additions: TestimonyAddition[];
  @ApiProperty({ type: [TestimonyFileResponse] }) files: TestimonyFileResponse[];
}

export function mapTestimonySummary(testimony: Testimony): TestimonySummary {
  return {
    id: testimony.id,
    state: testimony.state,
    consent: testimony.consent,
    language: testimony.language,
    fileCount: testimony.fileCount,
    receivedAt: testimony.receivedAt.toISOString(),
    updatedAt: testimony.updatedAt.toISOString(),
    withdrawnAt: testimony.withdrawnAt?.toISOString() ?? null,
    tags: { themes: testimony.themes ?? [], affectedPersons: testimony.affectedPersons ?? [] },
    excerpt: testimony.excerpt ?? null,
  };
}

export function mapTestimony(testimony: Testimony, content: TestimonyContent | null, files: TestimonyFile[]): TestimonyResponse {
  return {
    ...mapTestimonySummary(testimony),
    text: content?.text ?? '',
    place: content?.place ?? null,
    date: content?.date ?? null,
    agency: content?.agency ?? null,
    contact: content?.contact ?? null,
    themes: content?.themes ?? [],
    affectedPersons: content?.affectedPersons ?? [],
    additions: content?.additions ?? [],
    files: files.map((file) => ({ id: file.id, mimeType: file.mimeType, sizeBytes: file.sizeBytes, addedAt: file.addedAt.toISOString() })),
  };
}
