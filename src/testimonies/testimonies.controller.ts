import { Body, Controller, Get, Param, Patch, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { ChangeTestimonyStateDto, TestimonyPage, TestimonyQueueQuery, TestimonyResponse, TestimonySummary } from './testimonies.dto';
import { TestimonyQueueService } from './testimony-queue.service';

/**
 * The coordinators' queue. The list is for coordinators and admins (403 to members); a testimony
 * itself is "not found" to anyone else, members included, like everything they may not see.
 */
@ApiTags('testimonies')
@ApiBearerAuth()
@Controller('testimonies')
export class TestimoniesController {
  constructor(private readonly queue: TestimonyQueueService) {}

  @Get()
  @Roles('admin', 'coordinator')
  @ApiOkResponse({ type: TestimonyPage })
  list(@Auth() auth: AuthUser, @Query() query: TestimonyQueueQuery): Promise<TestimonyPage> {
    return this.queue.list(auth, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TestimonyResponse })
  read(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<TestimonyResponse> {
    return this.queue.read(auth, id);
  }

  @Get(':id/files/:fileId')
  readFile(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Param('fileId', IdPipe) fileId: number): Promise<StreamableFile> {
    return this.queue.readFile(auth, id, fileId);
  }

  @Patch(':id')
  @ApiOkResponse({ type: TestimonySummary })
  changeState(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: ChangeTestimonyStateDto): Promise<TestimonySummary> {
    return this.queue.changeState(auth, id, dto);
  }
}
