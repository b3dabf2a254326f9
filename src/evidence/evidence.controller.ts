import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { PageQuery } from '../common/pagination';
import { EvidenceChanges } from './evidence-changes';
import { CreateEvidenceDto, EvidencePage, EvidenceResponse, UpdateEvidenceDto } from './evidence.dto';
import { EvidenceService, type UploadedEvidenceFile } from './evidence.service';

@ApiTags('evidence')
@ApiBearerAuth()
@Controller()
export class EvidenceController {
  constructor(
    private readonly service: EvidenceService,
    private readonly changes: EvidenceChanges,
  ) {}

  @Post('recommendations/:id/evidence')
  @ApiConsumes('application/json', 'multipart/form-data')
  @UseInterceptors(FileInterceptor('file'))
  add(
    @Auth() auth: AuthUser,
    @Param('id', IdPipe) id: number,
    @Body() dto: CreateEvidenceDto,
    @UploadedFile() file?: UploadedEvidenceFile,
  ): Promise<EvidenceResponse> {
    return this.service.add(auth, id, dto, file);
  }

  @Get('recommendations/:id/evidence')
  @ApiOkResponse({ type: EvidencePage })
  list(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Query() query: PageQuery): Promise<EvidencePage> {
    return this.service.listPage(auth, id, query);
  }

  @Get('evidence/:id/file')
  download(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    return this.service.download(auth, id);
  }

  /** Edit or reclassify; admins and coordinators any item, members their own (see EvidenceChanges). */
  @Patch('evidence/:id')
  @ApiOkResponse({ type: EvidenceResponse })
  update(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: UpdateEvidenceDto): Promise<EvidenceResponse> {
    return this.changes.update(auth, id, dto);
  }

  @Delete('evidence/:id')
  @HttpCode(204)
  remove(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<void> {
    return this.changes.remove(auth, id);
  }
}
