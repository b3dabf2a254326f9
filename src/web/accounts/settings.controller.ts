import { Body, Get, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DELIVERY_MODES } from '../../vocabulary/notification.vocabulary';
import { APP_LANGUAGES, LANGUAGE_NAMES } from '../../i18n/i18n';
import { MyPreferencesService } from '../../accounts/my-preferences.service';
import { UpdatePreferencesDto } from '../../notifications/notifications.dto';
import { CalendarFeedService } from '../calendar/calendar-feed.service';
import { type FormErrors, readForm } from '../forms';
import { formErrorsIn, refusalIn } from '../form-messages';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

/** IANA zones for the select; luxon's check in UpdatePreferencesDto stays the rule. */
const TIME_ZONES: string[] = (() => {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return [...new Set(['UTC', ...supported])];
})();

/** Each person's own settings: which emails, when, in which time zone and language, and their calendar feed. */
@WebController('settings')
export class SettingsController {
  constructor(
    private readonly views: ViewRenderer,
    private readonly preferences: MyPreferencesService,
    private readonly calendars: CalendarFeedService,
  ) {}

  @Get()
  async settingsPage(@Web() web: WebContext): Promise<string> {
    const preferences = await this.preferences.get(web.me);
    return this.page(web, { ...preferences }, {});
  }

  @Post()
  async save(@Web() web: WebContext, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    // A form posts the hour as text; the API's rule wants the number.
    const digestHour = typeof body.digestHour === 'string' && /^\d{1,2}$/.test(body.digestHour) ? Number(body.digestHour) : body.digestHour;
    const form = await readForm(UpdatePreferencesDto, { ...body, digestHour });
    const labels = this.views.labels(web.language);
    if (!form.ok) return web.send(await this.page(web, body, formErrorsIn(labels, form)), 422);
    try {
      await this.preferences.update(web.me, form.value);
    } catch (error) {
      return web.send(await this.page(web, body, refusalIn(labels, error)), 422);
    }
    // The message speaks the language just chosen: the next page does too.
    web.redirect('/settings', this.views.t(form.value.language ?? web.language, 'settings.saved'));
  }

  @Post('calendar/reset')
  async resetCalendar(@Web() web: WebContext, @Res() _res: Response): Promise<void> {
    await this.calendars.resetUrl(web.me);
    web.redirect('/settings', this.views.t(web.language, 'settings.resetDone'));
  }

  private async page(web: WebContext, values: Record<string, unknown>, errors: FormErrors): Promise<string> {
    const t = (key: string) => this.views.t(web.language, key);
    const choices = (field: string) => DELIVERY_MODES.map((mode) => ({ value: mode, label: t(`settings.modes.${mode}`), checked: values[field] === mode }));
    const timeZone = String(values.timeZone ?? 'UTC');
    return this.views.render('settings-page', web.frame(t('settings.title'), 'settings'), {
      reminders: choices('reminders'),
      statusChanges: choices('statusChanges'),
      hours: Array.from({ length: 24 }, (_, hour) => ({ value: hour, label: `${String(hour).padStart(2, '0')}:00`, selected: String(values.digestHour) === String(hour) })),
      timeZones: (TIME_ZONES.includes(timeZone) ? TIME_ZONES : [timeZone, ...TIME_ZONES]).map((zone) => ({ value: zone, selected: zone === timeZone })),
      // Each language named in itself, so that a person who cannot read the page still finds theirs.
      languages: APP_LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language], selected: (values.language ?? web.language) === language })),
      criticalNotices: t('settings.criticalNotices'),
      calendarUrl: await this.calendars.urlFor(web.me),
      errors,
    });
  }
}
