import { Get, Param, Query, StreamableFile } from '@nestjs/common';
import { Public } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { LedgerService } from '../../ledger/ledger.service';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';
import { APP_LANGUAGES, isAppLanguage, LANGUAGE_NAMES } from '../../i18n/i18n';

/**
 * The public ledger of a published cycle: read-only, for anyone, signed in or not. It shows only
 * what LedgerService selects (public notes, public evidence, no people) and has no form.
 */
@WebController('ledger')
export class LedgerPagesController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly views: ViewRenderer,
  ) {}

  @Get(':cycleId')
  @Public()
  async ledgerPage(@Web() web: WebContext, @Param('cycleId', IdPipe) cycleId: number, @Query('page') page?: string, @Query('lang') langParam?: string): Promise<string> {
    // The reader's choice in the switcher (?lang=) first, even signed in; else WebContext's language
    // (the person's preference, or the browser's Accept-Language).
    const lang = isAppLanguage(langParam) ? langParam : web.language;
    const labels = this.views.labels(lang);
    // Anything but a page number is a page that does not exist (404), as a page past the last is.
    const ledger = await this.ledger.publicLedger(cycleId, page === undefined ? 1 : /^[1-9]\d{0,8}$/.test(page) ? Number(page) : NaN, labels);
    const pageQuery = page === undefined ? '' : `page=${ledger.page.number}&`;
    const switcher = APP_LANGUAGES.map((language) => ({ lang: language, name: LANGUAGE_NAMES[language], href: `/ledger/${cycleId}?${pageQuery}lang=${language}`, current: language === lang }));
    const frame = { ...web.frame(labels.t('ledgerPage.title', { cycle: ledger.cycle.title }), undefined, { forms: false }), lang, switcher };
    // The page links keep the language chosen in the switcher.
    return this.views.render('ledger-page', frame, { ledger, publicPage: true, langSuffix: isAppLanguage(langParam) ? `&lang=${lang}` : '' });
  }

  @Get(':cycleId/evidence/:evidenceId')
  @Public()
  evidenceFile(@Param('cycleId', IdPipe) cycleId: number, @Param('evidenceId', IdPipe) evidenceId: number): Promise<StreamableFile> {
    return this.ledger.publicFile(cycleId, evidenceId);
  }
}
