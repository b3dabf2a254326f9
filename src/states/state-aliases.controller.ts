import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { PageQuery } from '../common/pagination';
import { CreateStateAliasDto, StateAliasList, StateAliasResponse } from './states.dto';
import { StatesService } from './states.service';

/** The spellings of States a coalition's files use, beyond those shipped (issue 12). */
@ApiTags('states')
@ApiBearerAuth()
@Controller('admin/state-aliases')
export class StateAliasesController {
  constructor(private readonly service: StatesService) {}

  @Get()
  @Roles('admin')
  list(@Auth() auth: AuthUser, @Query() query: PageQuery): Promise<StateAliasList> {
    return this.service.listAliases(auth.coalitionId, query);
  }

  @Post()
  @Roles('admin')
  create(@Auth() auth: AuthUser, @Body() dto: CreateStateAliasDto): Promise<StateAliasResponse> {
    return this.service.addAlias(auth.coalitionId, dto, auth);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<void> {
    return this.service.removeAlias(auth.coalitionId, id, auth);
  }
}
