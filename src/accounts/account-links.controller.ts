import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { InvitationResponse, InviteUserDto } from './account-links.dto';
import { AccountLinksService } from './account-links.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('users')
export class AccountLinksController {
  constructor(private readonly links: AccountLinksService) {}

  /** Adds a person without a password and emails them a link to choose one (valid 7 days, once). */
  @Post('invitations')
  @Roles('admin')
  invite(@Auth() auth: AuthUser, @Body() dto: InviteUserDto): Promise<InvitationResponse> {
    return this.links.invite(auth, dto);
  }

  /** A new invitation link for a person who has not accepted yet; older links stop working. */
  @Post(':id/invitations')
  @Roles('admin')
  resend(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<InvitationResponse> {
    return this.links.resendInvitation(auth, id);
  }
}
