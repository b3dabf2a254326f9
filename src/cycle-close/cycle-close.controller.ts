import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CloseCycleDto, CycleCloseResponse } from './cycle-close.dto';
import { CycleCloseService } from './cycle-close.service';

@ApiTags('cycles')
@ApiBearerAuth()
@Controller('cycles/:id/close')
export class CycleCloseController {
  constructor(private readonly service: CycleCloseService) {}

  @Post()
  @HttpCode(200)
  @Roles('admin')
  @ApiOkResponse({ type: CycleCloseResponse, description: 'The close; a cycle already closed answers the same again and changes nothing' })
  @ApiConflictResponse({ description: 'Deadlines are still open (details.openDeadlines) and force was not given, or the next cycle is closed' })
  close(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: CloseCycleDto): Promise<CycleCloseResponse> {
    return this.service.close(auth.coalitionId, id, dto, auth);
  }
}
