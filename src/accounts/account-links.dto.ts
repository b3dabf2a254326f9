import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsEmailAddress } from '../common/validators';
import { trim } from '../common/transforms';
import { APP_LANGUAGES, type AppLanguage } from '../i18n/i18n';
import { CreateUserDto, UserResponse } from './accounts.dto';

/** An admin invites a person: the same fields as creating a user, minus the password they will choose. */
export class InviteUserDto extends PickType(CreateUserDto, ['email', 'name', 'role'] as const) {
  @ApiPropertyOptional({ enum: APP_LANGUAGES, description: 'The language of the invitation email and of the person\'s pages and emails until they choose (default en)' })
  @IsOptional()
  @IsIn(APP_LANGUAGES, { message: `language must be one of: ${APP_LANGUAGES.join(', ')} (got "$value")`, context: { allowed: APP_LANGUAGES } })
  language?: AppLanguage;
}

/** Choosing a password from an invitation or reset link: the API's password rule, typed twice. */
export class SetPasswordDto extends PickType(CreateUserDto, ['password'] as const) {
  @ApiProperty({ description: 'The same password again' })
  @IsString({ message: 'confirmation must repeat the password' })
  @MaxLength(200)
  confirmation: string;
}

export class ForgotPasswordDto {
  @ApiProperty({ example: 'member@example.org' })
  @Transform(trim)
  @IsEmailAddress()
  @MaxLength(320)
  email: string;
}

export class InvitationResponse {
  @ApiProperty({ type: UserResponse }) user: UserResponse;
  @ApiProperty({ description: 'Until when the emailed link works' }) expiresAt: string;
}

/** A person as the People page lists them: an invited person has no password yet. */
export interface PersonRow extends UserResponse {
  pending: boolean;
  /** The latest invitation link's expiry, for pending people. */
  invitationExpiresAt: string | null;
  invitationExpired: boolean;
}
