import { Body, Controller, Delete, Get, Param, Patch, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { ExcerptDto, TestimonyPage, TestimonyQueueQuery, TestimonyResponse, TestimonySummary, TriageTestimonyDto } from './testimonies.dto';
import { TestimonyQueueService } from './testimony-queue.service';
import { TestimonyTriageService } from './testimony-triage.service';

/**
 * The coordinators' queue. The list is for coordinators and admins (403 to members); a testimony
 * itself is "not found" to anyone else, members included, like everything they may not see.
 */
@ApiTags('testimonies')
@ApiBearerAuth()
@Controller('testimonies')
export class TestimoniesController {
  constructor(
    private readonly queue: TestimonyQueueService,
    private readonly triageService: TestimonyTriageService,
  ) {}

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

  /** Triage: the queue state, themes and affected groups (any of them). */
  @Patch(':id')
  @ApiOkResponse({ type: TestimonySummary })
  triage(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: TriageTestimonyDto): Promise<TestimonySummary> {
    return this.triageService.triage(auth, id, dto);
  }

  /** The anonymised excerpt (consent anonymised or public only: 409 otherwise). */
  @Put(':id/excerpt')
  @ApiOkResponse({ type: TestimonySummary })
  writeExcerpt(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: ExcerptDto): Promise<TestimonySummary> {
    return this.triageService.writeExcerpt(auth, id, dto);
  }

  @Delete(':id/excerpt')
  @ApiOkResponse({ type: TestimonySummary })
  removeExcerpt(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<TestimonySummary> {
    return this.triageService.removeExcerpt(auth, id);
  }
}
