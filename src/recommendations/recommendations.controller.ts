import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import {
  ChangeStatusDto, CreateRecommendationDto, FollowResponse, ListRecommendationsQuery, RecommendationDetailResponse,
  RecommendationPage, RecommendationResponse, UpdateRecommendationDto,
} from './recommendations.dto';
import { RecommendationsService } from './recommendations.service';
import { StatusService } from './status.service';

@ApiTags('recommendations')
@ApiBearerAuth()
@Controller()
export class RecommendationsController {
  constructor(
    private readonly service: RecommendationsService,
    private readonly statuses: StatusService,
  ) {}

  @Post('cycles/:cycleId/recommendations')
  @Roles('admin', 'coordinator')
  create(
    @Auth() auth: AuthUser,
    @Param('cycleId', IdPipe) cycleId: number,
    @Body() dto: CreateRecommendationDto,
  ): Promise<RecommendationResponse> {
    return this.service.create(auth, cycleId, dto);
  }

  @Get('recommendations')
  @ApiOkResponse({ type: RecommendationPage })
  list(@Auth() auth: AuthUser, @Query() query: ListRecommendationsQuery): Promise<RecommendationPage> {
    return this.service.list(auth, query);
  }

  @Get('recommendations/:id')
  get(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<RecommendationDetailResponse> {
    return this.service.get(auth, id);
  }

  @Patch('recommendations/:id')
  @Roles('admin', 'coordinator')
  update(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: UpdateRecommendationDto): Promise<RecommendationDetailResponse> {
    return this.service.update(auth, id, dto);
  }

  @Post('recommendations/:id/status')
  @Roles('admin', 'coordinator')
  @ApiConflictResponse({ description: 'The change is refused: details.allowedNextStatuses says what is allowed' })
  changeStatus(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: ChangeStatusDto): Promise<RecommendationDetailResponse> {
    return this.statuses.change(auth, id, dto);
  }

  @Post('recommendations/:id/follow')
  follow(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<FollowResponse> {
    return this.service.follow(auth, id);
  }

  @Delete('recommendations/:id/follow')
  unfollow(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<FollowResponse> {
    return this.service.unfollow(auth, id);
  }
}
