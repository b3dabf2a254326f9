import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { trim } from '../common/transforms';
import type { CoalitionStateAlias } from './state.entity';
import type { StateEntry } from './state-directory';

export class CreateStateAliasDto {
  @ApiProperty({ example: 'CIV', description: "The State: its ISO 3166 alpha-2 or alpha-3 code, or any of its names" })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  state: string;

  @ApiProperty({ example: 'Republique de Cote d Ivoire', description: "The spelling your coalition's files use" })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  alias: string;
}

export class StateAliasResponse {
  @ApiProperty() id: number;
  @ApiProperty() alias: string;
  @ApiProperty({ description: 'ISO 3166 alpha-3' }) stateCode: string;
  @ApiProperty({ description: "The State's canonical name (UN short name in English)" }) state: string;
  @ApiProperty() createdAt: string;
}

export class StateAliasList {
  @ApiProperty({ type: [StateAliasResponse] }) items: StateAliasResponse[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export function mapStateAlias(row: CoalitionStateAlias, state: StateEntry | null): StateAliasResponse {
  return { id: row.id, alias: row.alias, stateCode: row.stateCode, state: state?.name ?? row.stateCode, createdAt: row.createdAt.toISOString() };
}
