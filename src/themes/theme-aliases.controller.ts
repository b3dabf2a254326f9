import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { PageQuery } from '../common/pagination';
import { CreateVocabularyAliasDto, VocabularyAliasList, VocabularyAliasResponse } from './themes.dto';
import { ThemesService } from './themes.service';

/** The names of themes and groups of persons a coalition's files use, beyond those shipped (issue 12). */
@ApiTags('themes')
@ApiBearerAuth()
@Controller('admin/theme-aliases')
export class ThemeAliasesController {
  constructor(private readonly service: ThemesService) {}

  @Get()
  @Roles('admin')
  list(@Auth() auth: AuthUser, @Query() query: PageQuery): Promise<VocabularyAliasList> {
    return this.service.listAliases(auth.coalitionId, query);
  }

  @Post()
  @Roles('admin')
  create(@Auth() auth: AuthUser, @Body() dto: CreateVocabularyAliasDto): Promise<VocabularyAliasResponse> {
    return this.service.addAlias(auth.coalitionId, dto, auth);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<void> {
    return this.service.removeAlias(auth.coalitionId, id, auth);
  }
}
