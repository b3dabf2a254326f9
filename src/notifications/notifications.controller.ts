import { BadRequestException, Body, Controller, Get, Header, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, Public, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { IdPipe } from '../common/id.pipe';
import { pickAppLanguage, Translator } from '../i18n/i18n';
import { NotificationSettingsService } from './notification-settings.service';
import {
  ListOutboxQuery, OutboxEmailResponse, OutboxPage, ReminderPolicyResponse, UpdateReminderPolicyDto,
} from './notifications.dto';
import { OutboxAdminService } from './outbox-admin.service';
import { UnsubscribePages } from './unsubscribe-page';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(
    private readonly settings: NotificationSettingsService,
    private readonly outbox: OutboxAdminService,
  ) {}

  @Get('admin/reminder-policy')
  @Roles('admin', 'coordinator')
  getPolicy(@Auth() auth: AuthUser): Promise<ReminderPolicyResponse> {
    return this.settings.getPolicy(auth);
  }

  @Patch('admin/reminder-policy')
  @Roles('admin')
  updatePolicy(@Auth() auth: AuthUser, @Body() dto: UpdateReminderPolicyDto): Promise<ReminderPolicyResponse> {
    return this.settings.updatePolicy(auth, dto);
  }

  @Get('admin/outbox')
  @Roles('admin')
  @ApiOkResponse({ type: OutboxPage })
  listOutbox(@Auth() auth: AuthUser, @Query() query: ListOutboxQuery): Promise<OutboxPage> {
    return this.outbox.list(auth, query);
  }

  @Post('admin/outbox/:id/retry')
  @Roles('admin')
  @HttpCode(200)
  retry(@Auth() auth: AuthUser, @Param('id', IdPipe) id: number): Promise<OutboxEmailResponse> {
    return this.outbox.retry(auth, id);
  }
}

/** The unsubscribe link of every email: outside /api/v1, no token needed (the link itself is signed). */
@ApiTags('notifications')
@Controller('unsubscribe')
export class UnsubscribeController {
  private readonly pages: UnsubscribePages;

  constructor(
    private readonly settings: NotificationSettingsService,
    translator: Translator,
  ) {
    this.pages = new UnsubscribePages(translator);
  }

  /** A page with a button, so that link scanners opening the URL unsubscribe nobody. */
  @Get(':token')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async page(@Param('token') token: string, @Req() request: Request): Promise<string> {
    return this.pages.ask(token, (await this.settings.languageOfLink(token)) ?? browserLanguage(request));
  }

  /**
   * RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" here and get JSON. The page's
   * button posts the same from a browser, which asks for HTML: it gets a page saying what stopped,
   * or why the link no longer works, instead of JSON.
   */
  @Post(':token')
  @Public()
  @HttpCode(200)
  async unsubscribe(
    @Param('token') token: string,
    @Headers('accept') accept: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ unsubscribed: string; email: string } | string> {
    if (!accept?.includes('text/html')) {
      const { unsubscribed, email } = await this.settings.unsubscribe(token);
      return { unsubscribed, email };
    }
    response.type('html');
    try {
      const result = await this.settings.unsubscribe(token);
      return this.pages.done(result, result.language);
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      response.status(400);
      return this.pages.refused(browserLanguage(request));
    }
  }
}

/** A link that names nobody (any more) is answered in the browser's language: `?lang=`, then Accept-Language. */
function browserLanguage(request: Request) {
  return pickAppLanguage(request.query.lang, (...languages) => request.acceptsLanguages(...languages));
}
