import { Get, Param, Query, StreamableFile } from '@nestjs/common';
import { Public } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { LedgerService } from '../../ledger/ledger.service';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

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
  async ledgerPage(@Web() web: WebContext, @Param('cycleId', IdPipe) cycleId: number, @Query('page') page?: string): Promise<string> {
    // Anything but a page number is a page that does not exist (404), as a page past the last is.
    const ledger = await this.ledger.publicLedger(cycleId, page === undefined ? 1 : /^[1-9]\d{0,8}$/.test(page) ? Number(page) : NaN);
    return this.views.render('ledger-page', web.frame(`Public ledger: ${ledger.cycle.title}`, undefined, { forms: false }), { ledger, publicPage: true });
  }

  @Get(':cycleId/evidence/:evidenceId')
  @Public()
  evidenceFile(@Param('cycleId', IdPipe) cycleId: number, @Param('evidenceId', IdPipe) evidenceId: number): Promise<StreamableFile> {
    return this.ledger.publicFile(cycleId, evidenceId);
  }
}
