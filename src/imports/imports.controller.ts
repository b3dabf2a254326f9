import { BadRequestException, Body, Controller, Post, UnprocessableEntityException, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConsumes, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { UploadedFileOnDisk } from '../common/upload-options';
import type { AuthUser } from '../auth/auth-user';
import { fileSource } from './import-source';
import { ImportRequestDto, ImportSummaryResponse } from './imports.dto';
import { ImportsService } from './imports.service';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly service: ImportsService) {}

  /** 201 with the summary when imported or dry-run; 422 with the summary in details when bad rows stopped it. */
  @Post()
  @Roles('admin')
  @ApiConsumes('multipart/form-data')
  @ApiUnprocessableEntityResponse({ description: 'Bad rows: nothing written; details is the summary with every problem' })
  @ApiBadRequestResponse({ description: 'Names of States that match no State: nothing written; details is the summary with unknownNames' })
  @UseInterceptors(FileInterceptor('file'))
  async import(
    @Auth() auth: AuthUser,
    @Body() dto: ImportRequestDto,
    @UploadedFile() file?: UploadedFileOnDisk,
  ): Promise<ImportSummaryResponse> {
    if (!file) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'file: upload the file in the multipart field "file"', details: [{ field: 'file', problem: 'missing' }] });
    }
    const summary = await this.service.run(
      fileSource(file.path, file.originalname),
      { coalitionId: auth.coalitionId, format: dto.format ?? 'auto', cycleId: dto.cycleId, dryRun: dto.dryRun ?? false, partial: dto.partial ?? false, actor: auth },
    );
    if (!summary.committed && !summary.dryRun && summary.problems.length === 0 && summary.unknownNames.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `Nothing was imported: ${summary.unknownNames.length} names match no State, theme or group of persons, or SDG target (see details.unknownNames, with suggestions). Correct the file, or add an alias for your coalition (POST /api/v1/admin/state-aliases for a State, /api/v1/admin/theme-aliases for a theme or group of persons), then import again`,
        details: summary,
      });
    }
    if (!summary.committed && !summary.dryRun) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: `Nothing was imported: ${summary.rejected} rows are bad (see details.problems), or import the good rows only with partial=true`,
        details: summary,
      });
    }
    return summary;
  }
}
