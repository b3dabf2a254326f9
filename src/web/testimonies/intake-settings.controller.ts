import { Body, Get, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { EnableIntakeDto } from '../../testimonies/testimonies.dto';
import { IntakeSettingsService } from '../../testimonies/intake-settings.service';
import { type FormErrors, readForm } from '../forms';
import { formErrorsIn, type Refusal, refusalIn } from '../form-messages';
import type { AppLabels } from '../../i18n/app-labels';
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
    const labels = this.views.labels(web.language);
    const form = await readForm(EnableIntakeDto, { slug: body.slug });
    if (!form.ok) return web.send(await this.page(web, String(body.slug ?? ''), formErrorsIn(labels, form)), 422);
    try {
      await this.intake.enable(web.me.coalitionId, form.value, web.me);
    } catch (error) {
      return web.send(await this.page(web, form.value.slug, refusalIn(labels, error, (refusal) => intakeRefusalInWords(labels, refusal, form.value.slug))), 422);
    }
    web.redirect('/settings/intake', labels.t('intakePage.opened', { slug: form.value.slug }));
  }

  @Post('disable')
  @Roles('admin')
  async disable(@Web() web: WebContext, @Res() _res: Response): Promise<void> {
    await this.intake.disable(web.me.coalitionId, web.me);
    web.redirect('/settings/intake', this.views.t(web.language, 'intakePage.closedDone'));
  }

  private async page(web: WebContext, slug: string | undefined, errors: FormErrors): Promise<string> {
    const settings = await this.intake.settings(web.me.coalitionId);
    return this.views.render('intake-settings', web.frame(this.views.t(web.language, 'intakePage.title'), 'intake'), { ...settings, slugValue: slug ?? settings.slug ?? '', errors });
  }
}

/** IntakeSettingsService's refusals in words: no TESTIMONY_KEY (its one 400, with no field), an address another coalition has. */
function intakeRefusalInWords(labels: AppLabels, refusal: Refusal, slug: string): string | null {
  if (refusal.status === 400 && refusal.detail.field === undefined) return labels.t('intakePage.needsKey');
  if (refusal.status === 409 && refusal.detail.field === 'slug') return labels.t('intakePage.slugTaken', { slug });
  return null;
}
