import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { CreateDeadlineDto, DeadlinePage, DeadlineResponse, ListDeadlinesQuery, UpdateDeadlineDto } from './deadlines.dto';
import { DeadlinesService } from './deadlines.service';

@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('deadlines')
export class DeadlinesController {
  constructor(private readonly service: DeadlinesService) {}

  @Post()
  @Roles('admin', 'coordinator')
  create(@Auth() auth: AuthUser, @Body() dto: CreateDeadlineDto): Promise<DeadlineResponse> {
    return this.service.create(auth, dto);
  }

  @Get()
  @ApiOkResponse({ type: DeadlinePage })
  list(@Auth() auth: AuthUser, @Query() query: ListDeadlinesQuery): Promise<DeadlinePage> {
    return this.service.list(auth, query);
  }

  @Get(':id')
  get(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<DeadlineResponse> {
    return this.service.get(auth, id);
  }

  @Patch(':id')
  @Roles('admin', 'coordinator')
  update(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: UpdateDeadlineDto): Promise<DeadlineResponse> {
    return this.service.update(auth, id, dto);
  }

  @Delete(':id')
  @Roles('admin', 'coordinator')
  @HttpCode(204)
  remove(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<void> {
    return this.service.remove(auth, id);
  }
}
