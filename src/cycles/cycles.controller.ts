import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { PageQuery } from '../common/pagination';
import { CreateCycleDto, CyclePage, CycleResponse, UpdateCycleDto } from './cycles.dto';
import { CyclesService } from './cycles.service';

@ApiTags('cycles')
@ApiBearerAuth()
@Controller('cycles')
export class CyclesController {
  constructor(private readonly service: CyclesService) {}

  @Post()
  @Roles('admin')
  create(@Auth() auth: AuthUser, @Body() dto: CreateCycleDto): Promise<CycleResponse> {
    return this.service.create(auth, dto);
  }

  @Get()
  @ApiOkResponse({ type: CyclePage })
  list(@Auth() auth: AuthUser, @Query() query: PageQuery): Promise<CyclePage> {
    return this.service.listPage(auth, query);
  }

  @Get(':id')
  get(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<CycleResponse> {
    return this.service.get(auth, id);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: UpdateCycleDto): Promise<CycleResponse> {
    return this.service.update(auth, id, dto);
  }

  /** Makes the cycle's public ledger page (GET /ledger/:id) answer; publishing again changes nothing. */
  @Post(':id/publish')
  @HttpCode(200)
  @Roles('admin')
  publish(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<CycleResponse> {
    return this.service.publish(auth, id);
  }

  /** The public ledger page answers 404 again. */
  @Post(':id/unpublish')
  @HttpCode(200)
  @Roles('admin')
  unpublish(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<CycleResponse> {
    return this.service.unpublish(auth, id);
  }
}
