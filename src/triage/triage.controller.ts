import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { TestimonyLinksService } from './testimony-links.service';
import { LinkTestimonyDto, TestimonyLinksResponse } from './triage.dto';

/** A testimony's links to recommendations, as evidence. Like the testimony itself, "not found" to members and other coalitions. */
@ApiTags('testimonies')
@ApiBearerAuth()
@Controller('testimonies/:id/links')
export class TriageController {
  constructor(private readonly links: TestimonyLinksService) {}

  @Get()
  @ApiOkResponse({ type: TestimonyLinksResponse })
  list(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<TestimonyLinksResponse> {
    return this.links.list(auth, id);
  }

  @Post()
  @ApiOkResponse({ type: TestimonyLinksResponse })
  link(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Body() dto: LinkTestimonyDto): Promise<TestimonyLinksResponse> {
    return this.links.link(auth, id, dto);
  }

  @Delete(':recommendationId')
  @ApiOkResponse({ type: TestimonyLinksResponse })
  unlink(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number, @Param('recommendationId', IdPipe) recommendationId: number): Promise<TestimonyLinksResponse> {
    return this.links.unlink(auth, id, recommendationId);
  }
}
