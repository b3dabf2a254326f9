import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { trim } from '../common/transforms';
import type { CoalitionVocabularyAlias, CoalitionVocabularyKind } from './theme.entity';

/** One of `theme` and `group`: what the alias names. */
export class CreateVocabularyAliasDto {
  @ApiPropertyOptional({ example: 'D23', description: "The theme: its UHRI code, or its name" })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  theme?: string;

  @ApiPropertyOptional({ example: 'Women', description: 'The group of persons: its UHRI name, or a known alias' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  group?: string;

  @ApiProperty({ example: 'Abolition of capital punishment', description: "The name your coalition's files use" })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  alias: string;
}

export class VocabularyAliasResponse {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['theme', 'group'] }) kind: CoalitionVocabularyKind;
  @ApiProperty() alias: string;
  @ApiProperty({ description: "A theme's UHRI code (\"D23\") or a group's name (\"Women\")" }) target: string;
  @ApiProperty({ description: 'As pages show it: "D23 Death penalty", "Women"' }) label: string;
  @ApiProperty() createdAt: string;
}

export class VocabularyAliasList {
  @ApiProperty({ type: [VocabularyAliasResponse] }) items: VocabularyAliasResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export function mapVocabularyAlias(row: CoalitionVocabularyAlias, label: string): VocabularyAliasResponse {
  return { id: row.id, kind: row.kind, alias: row.alias, target: row.target, label, createdAt: row.createdAt.toISOString() };
}
