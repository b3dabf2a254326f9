import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { IdPipe } from '../common/id.pipe';
import { PageQuery } from '../common/pagination';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import {
  CreatedTokenResponse, CreateTokenDto, CreateUserDto, mapToken, MeResponse, TokenPage, UpdateUserDto, UserPage, UserResponse,
} from './accounts.dto';
import { MyPreferencesService } from './my-preferences.service';
import { PreferencesResponse, UpdatePreferencesDto } from '../notifications/notifications.dto';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class AccountsController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly preferences: MyPreferencesService,
  ) {}

  @Get('me')
  me(@Auth() auth: AuthUser): Promise<MeResponse> {
    return this.users.me(auth);
  }

  @Get('me/preferences')
  getPreferences(@Auth() auth: AuthUser): Promise<PreferencesResponse> {
    return this.preferences.get(auth);
  }

  @Patch('me/preferences')
  updatePreferences(@Auth() auth: AuthUser, @Body() dto: UpdatePreferencesDto): Promise<PreferencesResponse> {
    return this.preferences.update(auth, dto);
  }

  @Get('me/tokens')
  @ApiOkResponse({ type: TokenPage })
  listTokens(@Auth() auth: AuthUser, @Query() query: PageQuery): Promise<TokenPage> {
    return this.tokens.list(auth, query);
  }

  @Post('me/tokens')
  async createToken(@Auth() auth: AuthUser, @Body() dto: CreateTokenDto): Promise<CreatedTokenResponse> {
    const { token, record } = await this.tokens.create(auth.id, dto.label);
    return { ...mapToken(record), token };
  }

  @Delete('me/tokens/:id')
  @HttpCode(204)
  revokeToken(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<void> {
    return this.tokens.revoke(auth, id);
  }

  /**
   * Every role: members read owners' and assignees' names on every page (the list's owner filter
   * among them), so the API gives them the same list rather than refusing what the pages show.
   */
  @Get('users')
  @ApiOkResponse({ type: UserPage })
  listUsers(@Auth() auth: AuthUser, @Query() query: PageQuery): Promise<UserPage> {
    return this.users.listPage(auth, query);
  }

  @Post('users')
  @Roles('admin')
  createUser(@Auth() auth: AuthUser, @Body() dto: CreateUserDto): Promise<UserResponse> {
    return this.users.create(auth, dto);
  }

  @Patch('users/:id')
  @Roles('admin')
  updateUser(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: UpdateUserDto): Promise<UserResponse> {
    return this.users.update(auth, id, dto);
  }
}
