import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { DecideLineageDto, LineageQuery, LineageResponse } from './lineage.dto';
import { LineageService } from './lineage.service';

@ApiTags('lineage')
@ApiBearerAuth()
@Controller('recommendations/:id/lineage')
export class LineageController {
  constructor(private readonly service: LineageService) {}

  @Get()
  get(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Query() query: LineageQuery): Promise<LineageResponse> {
    return this.service.get(auth, id, query.refresh ?? false);
  }

  @Post()
  @HttpCode(200)
  @Roles('admin', 'coordinator')
  @ApiBadRequestResponse({ description: 'The candidate is unknown, the recommendation itself, of another State, or not of an earlier cycle' })
  @ApiConflictResponse({ description: "The recommendation's cycle is closed, or confirming would make a loop" })
  decide(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: DecideLineageDto): Promise<LineageResponse> {
    return this.service.decide(auth, id, dto);
  }
}
