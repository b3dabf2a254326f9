import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { PageOf } from '../common/pagination';
import { IsEmailAddress, IsOptionalNotNull } from '../common/validators';
import { ApiToken } from './api-token.entity';
import { Coalition } from './coalition.entity';
import { ROLES, type Role } from '../auth/role';
import { User } from './user.entity';
import { trim } from '../common/transforms';

export const MIN_PASSWORD_LENGTH = 12;

export class CreateUserDto {
  @ApiProperty({ example: 'coordinator@example.org' })
  @Transform(trim)
  @IsEmailAddress()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Amina Diallo' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}`, context: { allowed: ROLES } })
  role: Role;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(200)
  password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptionalNotNull()
  @IsIn(ROLES, { message: `role must be one of: ${ROLES.join(', ')}`, context: { allowed: ROLES } })
  role?: Role;

  @ApiPropertyOptional({ description: 'false deactivates the user: their tokens stop working' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class CreateTokenDto {
  @ApiProperty({ example: 'reporting script' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  label: string;
}

export class CoalitionResponse {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
}

export class UserResponse {
  @ApiProperty() id: number;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() active: boolean;
  @ApiProperty() timeZone: string;
  @ApiProperty() createdAt: string;
}

export class UserPage extends PageOf(UserResponse) {}

export class MeResponse {
  @ApiProperty() id: number;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: CoalitionResponse }) coalition: CoalitionResponse;
}

export class TokenResponse {
  @ApiProperty() id: number;
  @ApiProperty() label: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

export class TokenPage extends PageOf(TokenResponse) {}

export class CreatedTokenResponse extends TokenResponse {
  @ApiProperty({ description: 'Shown once; only its hash is kept' }) token: string;
}

export function mapUser(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    timeZone: user.timeZone,
    createdAt: user.createdAt.toISOString(),
  };
}

export function mapMe(user: User, coalition: Coalition): MeResponse {
  return { id: user.id, email: user.email, name: user.name, role: user.role, coalition: { id: coalition.id, name: coalition.name } };
}

export function mapToken(token: ApiToken): TokenResponse {
  return {
    id: token.id,
    label: token.label,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}
