import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CycleReportResponse, ReportQuery } from './reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('cycles/:id/report')
export class ReportsController {
  constructor(private readonly service: ReportsService) {}

  @Get()
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/html', 'application/pdf')
  @ApiOkResponse({ type: CycleReportResponse, description: 'format=json; csv and xlsx hold the list (xlsx with a summary sheet); html and pdf the whole report' })
  @ApiServiceUnavailableResponse({ description: 'format=pdf while Chromium is not installed' })
  async report(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Query() query: ReportQuery): Promise<StreamableFile> {
    const report = await this.service.render(auth.coalitionId, id, query.format ?? 'json');
    return new StreamableFile(report.body, { type: report.contentType, disposition: report.disposition });
  }
}
