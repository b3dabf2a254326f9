import { Body, ConflictException, Get, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Roles } from '../../auth/auth.decorators';
import { IdPipe } from '../../common/id.pipe';
import { CreateDeadlineDto } from '../../deadlines/deadlines.dto';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { CreateEvidenceDto } from '../../evidence/evidence.dto';
import { EvidenceService, type UploadedEvidenceFile } from '../../evidence/evidence.service';
import { DecideLineageDto } from '../../lineage/lineage.dto';
import { LineageService } from '../../lineage/lineage.service';
import type { ImplementationStatus } from '../../vocabulary/recommendation.vocabulary';
import type { AppLabels } from '../../i18n/app-labels';
import { ChangeStatusDto } from '../../recommendations/recommendations.dto';
import { RecommendationsService } from '../../recommendations/recommendations.service';
import { StatusService } from '../../recommendations/status.service';
import { asList, type FormErrors, readForm } from '../forms';
import { formErrorsIn, type Refusal, refusalIn } from '../form-messages';
import { type DetailErrors, type DetailForms, RecommendationPages } from './recommendations-pages.service';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

/**
 * One recommendation: its record, history, evidence, deadlines and lineage, and the forms that
 * change them. Each form posts to its own address and comes back here; a refusal shows this page
 * again (422) with the form as typed and the reason next to the field.
 */
@WebController()
export class RecommendationsDetailController {
  constructor(
    private readonly pages: RecommendationPages,
    private readonly recommendations: RecommendationsService,
    private readonly statuses: StatusService,
    private readonly evidence: EvidenceService,
    private readonly deadlines: DeadlinesService,
    private readonly lineage: LineageService,
    private readonly views: ViewRenderer,
  ) {}

  @Get('recommendations/:id')
  async detail(@Web() web: WebContext, @Param('id', IdPipe) id: number): Promise<string> {
    const { title, data } = await this.pages.detail(web.me, this.views.labels(web.language), id);
    return this.views.render('recommendation', web.frame(title, 'recommendations'), data);
  }

  @Post('recommendations/:id/status')
  @Roles('admin', 'coordinator')
  async changeStatus(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const values = {
      status: text(body.status),
      note: typeof body.note === 'string' ? body.note : '',
      notePublic: body.notePublic === 'true',
      evidenceIds: asList(body.evidenceIds),
    };
    const form = await readForm(ChangeStatusDto, {
      status: values.status,
      note: values.note,
      evidenceIds: values.evidenceIds.map(Number),
      ...(values.notePublic ? { notePublic: 'true' } : {}),
    });
    if (!form.ok) return this.refused(web, id, { status: values }, { status: formErrorsIn(this.views.labels(web.language), form) });
    try {
      const changed = await this.statuses.change(web.me, id, form.value);
      const labels = this.views.labels(web.language);
      web.redirect(`/recommendations/${id}`, labels.t('rec.statusChanged', { status: labels.status(changed.status) }));
    } catch (error) {
      await this.refused(web, id, { status: values }, { status: fieldFirst(statusRefusalInWords(this.views.labels(web.language), error) ?? refusalIn(this.views.labels(web.language), error)) });
    }
  }

  /** Multipart (a file, or a link): the CSRF token comes in the action's query string. */
  @Post('recommendations/:id/evidence')
  @UseInterceptors(FileInterceptor('file'))
  async addEvidence(
    @Web() web: WebContext,
    @Param('id', IdPipe) id: number,
    @Body() body: Record<string, unknown>,
    @Res() _res: Response,
    @UploadedFile() file?: UploadedEvidenceFile,
  ): Promise<void> {
    const values = { kind: text(body.kind), title: text(body.title), url: text(body.url), confidential: body.confidential === 'true' };
    const form = await readForm(CreateEvidenceDto, {
      kind: values.kind,
      title: values.title,
      ...(values.url ? { url: values.url } : {}),
      ...(values.confidential ? { confidential: 'true' } : {}),
    });
    const labels = this.views.labels(web.language);
    if (!form.ok) return this.refused(web, id, { evidence: values }, { evidence: formErrorsIn(labels, form) });
    try {
      const added = await this.evidence.add(web.me, id, form.value, file);
      web.redirect(`/recommendations/${id}#evidence`, this.views.t(web.language, 'rec.evidenceAdded', { title: added.title }));
    } catch (error) {
      // EvidenceService's refusals: a link or a file (neither, or both), an empty file.
      const inWords = ({ status, detail }: Refusal) =>
        status !== 400 ? null : detail.field === 'url' ? labels.t(file ? 'evidenceForm.notBoth' : 'evidenceForm.linkOrFile') : detail.field === 'file' ? labels.t('evidenceForm.emptyFile') : null;
      await this.refused(web, id, { evidence: values }, { evidence: fieldFirst(refusalIn(labels, error, inWords)) });
    }
  }

  @Post('recommendations/:id/deadlines')
  @Roles('admin', 'coordinator')
  async addDeadline(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const values = {
      kind: text(body.kind), title: text(body.title), dueDate: text(body.dueDate), dueTime: text(body.dueTime), timeZone: text(body.timeZone),
      assigneeIds: asList(body.assigneeIds),
    };
    const form = await readForm(CreateDeadlineDto, {
      recommendationId: id,
      kind: values.kind,
      dueDate: values.dueDate,
      timeZone: values.timeZone,
      assigneeIds: values.assigneeIds.map(Number),
      ...(values.title ? { title: values.title } : {}),
      ...(values.dueTime ? { dueTime: values.dueTime } : {}),
    });
    if (!form.ok) return this.refused(web, id, { deadline: values }, { deadline: formErrorsIn(this.views.labels(web.language), form) });
    try {
      await this.deadlines.create(web.me, form.value);
      web.redirect(`/recommendations/${id}#deadlines`, this.views.t(web.language, 'rec.deadlineAdded'));
    } catch (error) {
      await this.refused(web, id, { deadline: values }, { deadline: fieldFirst(refusalIn(this.views.labels(web.language), error)) });
    }
  }

  @Post('recommendations/:id/lineage')
  @Roles('admin', 'coordinator')
  async decideLineage(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const form = await readForm(DecideLineageDto, { candidateId: Number(body.candidateId), decision: body.decision });
    if (!form.ok) return this.refused(web, id, {}, { lineage: formErrorsIn(this.views.labels(web.language), form) });
    try {
      await this.lineage.decide(web.me, id, form.value);
      const done = form.value.decision === 'confirm' ? 'rec.predecessorConfirmed' : 'rec.predecessorRejected';
      web.redirect(`/recommendations/${id}#lineage`, this.views.t(web.language, done, { id: form.value.candidateId }));
    } catch (error) {
      await this.refused(web, id, {}, { lineage: refusalIn(this.views.labels(web.language), error) });
    }
  }

  @Post('recommendations/:id/follow')
  async follow(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    await this.recommendations.follow(web.me, id);
    web.redirect(`/recommendations/${id}`, this.views.t(web.language, 'rec.followed'));
  }

  @Post('recommendations/:id/unfollow')
  async unfollow(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    await this.recommendations.unfollow(web.me, id);
    web.redirect(`/recommendations/${id}`, this.views.t(web.language, 'rec.unfollowed'));
  }

  /** The file of an evidence item, for whoever may see it (confidential files are "not found" for members). */
  @Get('evidence/:id/file')
  download(@Web() web: WebContext, @Param('id', IdPipe) id: number): Promise<StreamableFile> {
    return this.evidence.download(web.me, id);
  }

  private async refused(web: WebContext, id: number, forms: DetailForms, errors: DetailErrors): Promise<void> {
    const { title, data } = await this.pages.detail(web.me, this.views.labels(web.language), id, forms, errors);
    web.send(this.views.render('recommendation', web.frame(title, 'recommendations'), data), 422);
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The lifecycle's refusals (409) in the page's words: the API's messages name statuses and fields as
 * the API spells them (fully_implemented, evidenceIds), a page names them as its form labels them.
 */
function statusRefusalInWords(labels: AppLabels, error: unknown): FormErrors | null {
  if (!(error instanceof ConflictException)) return null;
  const details = (error.getResponse() as { details?: { field?: string; currentStatus?: ImplementationStatus; requestedStatus?: ImplementationStatus } }).details;
  const current = details?.currentStatus;
  const requested = details?.requestedStatus;
  if (!current || !requested) return null;
  if (details.field === 'evidenceIds') {
    return { evidenceIds: labels.t('rec.needsEvidence', { status: labels.status(requested) }) };
  }
  if (requested === 'not_assessed') return { status: labels.t('rec.cannotGoBack', { status: labels.status('not_assessed') }) };
  if (requested === current) return { status: labels.t('rec.alreadyStatus', { status: labels.status(current) }) };
  return { status: labels.t('rec.changedMeanwhile', { status: labels.status(current) }) };
}

/** A refusal about one field is shown next to that field only; a refusal of the whole form stays at its top. */
function fieldFirst(errors: FormErrors): FormErrors {
  const { form, ...fields } = errors;
  return Object.keys(fields).length > 0 ? fields : { form };
}
