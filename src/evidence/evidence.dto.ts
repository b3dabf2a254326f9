import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUrl, Length, MaxLength } from 'class-validator';
import { PageOf } from '../common/pagination';
import { Evidence } from './evidence.entity';
import { EVIDENCE_KINDS, type EvidenceKind } from '../vocabulary/evidence.vocabulary';
import { toBoolean, trim } from '../common/transforms';

/** JSON for a link, or the text fields of a multipart upload whose file is in the field "file". */
export class CreateEvidenceDto {
  @ApiProperty({ enum: EVIDENCE_KINDS })
  @IsIn(EVIDENCE_KINDS, { message: `kind must be one of: ${EVIDENCE_KINDS.join(', ')}`, context: { allowed: EVIDENCE_KINDS } })
  kind: EvidenceKind;

  @ApiProperty({ example: 'Ministry of Justice annual report 2025' })
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  title: string;

  @ApiPropertyOptional({ description: 'Required for a link; not allowed with a file upload' })
  @IsOptional()
  @Transform(trim)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) address' })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ default: false, description: 'Confidential evidence is readable by coordinators and admins only. Testimony is always confidential, whatever this says.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'confidential must be true or false' })
  confidential?: boolean;
}

/** PATCH /evidence/:id: any of the fields; what is left out stays as it is. */
export class UpdateEvidenceDto {
  @ApiPropertyOptional({ enum: EVIDENCE_KINDS, description: 'Testimony is always confidential: choosing it makes the item confidential' })
  @IsOptional()
  @IsIn(EVIDENCE_KINDS, { message: `kind must be one of: ${EVIDENCE_KINDS.join(', ')}`, context: { allowed: EVIDENCE_KINDS } })
  kind?: EvidenceKind;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional({ description: 'Only for a link (an uploaded file keeps its file)' })
  @IsOptional()
  @Transform(trim)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) address' })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ description: 'Reclassify: confidential evidence is for coordinators and admins only, and never public. Testimony cannot be made public.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'confidential must be true or false' })
  confidential?: boolean;
}

export class EvidenceResponse {
  @ApiProperty() id: number;
  @ApiProperty() recommendationId: number;
  @ApiProperty({ enum: EVIDENCE_KINDS }) kind: EvidenceKind;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, type: String }) fileName: string | null;
  @ApiProperty({ nullable: true, type: String }) mimeType: string | null;
  @ApiProperty({ nullable: true, type: Number }) sizeBytes: number | null;
  @ApiProperty({ nullable: true, type: String }) sha256: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Where to download the file, for uploads' }) downloadUrl: string | null;
  @ApiProperty() confidential: boolean;
  @ApiProperty() submittedById: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: Number, description: 'A testimony of the intake linked as evidence: read it at /api/v1/testimonies/<id> (coordinators and admins)' })
  testimonyId: number | null;
}

export class EvidencePage extends PageOf(EvidenceResponse) {}

export function mapEvidence(evidence: Evidence): EvidenceResponse {
  return {
    id: evidence.id,
    recommendationId: evidence.recommendationId,
    kind: evidence.kind,
    title: evidence.title,
    url: evidence.url,
    fileName: evidence.fileName,
    mimeType: evidence.mimeType,
    sizeBytes: evidence.sizeBytes,
    sha256: evidence.sha256,
    downloadUrl: evidence.sha256 ? `/api/v1/evidence/${evidence.id}/file` : null,
    confidential: evidence.confidential,
    submittedById: evidence.submittedById,
    createdAt: evidence.createdAt.toISOString(),
    testimonyId: evidence.testimonyId ?? null,
  };
}
