import { Body, Get, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { EnableIntakeDto } from '../../testimonies/testimonies.dto';
import { IntakeSettingsService } from '../../testimonies/intake-settings.service';
import { type FormErrors, readForm, refusalToErrors } from '../forms';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

/** The admins' switch for the coalition's People's UPR intake, like `npm run cli -- intake enable|disable`. */
@WebController('settings/intake')
export class IntakeSettingsPagesController {
  constructor(
    private readonly intake: IntakeSettingsService,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  @Roles('admin')
  async settingsPage(@Web() web: WebContext): Promise<string> {
    return this.page(web, undefined, {});
  }

  @Post('enable')
  @Roles('admin')
  async enable(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const form = await readForm(EnableIntakeDto, { slug: body.slug });
    if (!form.ok) return web.send(await this.page(web, String(body.slug ?? ''), form.errors), 422);
    try {
      await this.intake.enable(web.me.coalitionId, form.value, web.me);
    } catch (error) {
      return web.send(await this.page(web, form.value.slug, refusalToErrors(error)), 422);
    }
    web.redirect('/settings/intake', `Testimony intake is open at /api/v1/public/testimonies/${form.value.slug}.`);
  }

  @Post('disable')
  @Roles('admin')
  async disable(@Web() web: WebContext, @Res() _res: Response): Promise<void> {
    await this.intake.disable(web.me.coalitionId, web.me);
    web.redirect('/settings/intake', 'Testimony intake is closed: its address answers "not found". Testimonies already received stay in the queue.');
  }

  private async page(web: WebContext, slug: string | undefined, errors: FormErrors): Promise<string> {
    const settings = await this.intake.settings(web.me.coalitionId);
    return this.views.render('intake-settings', web.frame("People's UPR intake", 'intake'), { ...settings, slugValue: slug ?? settings.slug ?? '', errors });
  }
}
