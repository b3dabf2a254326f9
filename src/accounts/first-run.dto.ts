import { ApiProperty, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, MaxLength } from 'class-validator';
import { trim } from '../common/transforms';
import { CreateUserDto } from './accounts.dto';

/**
 * The one-time setup: the first coalition and its admin (the account rules of CreateUserDto, the
 * password typed twice), with the setup code from the server's log.
 */
export class FirstRunDto extends PickType(CreateUserDto, ['name', 'email', 'password'] as const) {
  @ApiProperty({ example: 'US Human Rights Network' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  coalition: string;

  @ApiProperty({ description: 'The same password again' })
  @IsString({ message: 'confirmation must repeat the password' })
  @MaxLength(200)
  confirmation: string;

  @ApiProperty({ example: 'ABCD-EFGH', description: "The setup code printed in the server's log at start" })
  @IsString({ message: "code must be the setup code from the server's log" })
  @Length(1, 40, { message: "code must be the setup code from the server's log (XXXX-XXXX)" })
  code: string;
}
