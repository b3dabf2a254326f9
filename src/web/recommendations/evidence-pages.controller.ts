import { Body, Get, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { IdPipe } from '../../common/id.pipe';
import { EvidenceChanges } from '../../evidence/evidence-changes';
import { type EvidenceResponse, UpdateEvidenceDto } from '../../evidence/evidence.dto';
import { EVIDENCE_KINDS } from '../../vocabulary/evidence.vocabulary';
import { type FormErrors, readForm } from '../forms';
import { formErrorsIn, type Refusal, refusalIn } from '../form-messages';
import type { AppLabels } from '../../i18n/app-labels';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

interface EditValues {
  kind?: string;
  title?: string;
  url?: string;
  confidential?: boolean;
}

/**
 * Editing and removing one evidence item from its recommendation's page: each a page of its own
 * (removal asks for confirmation there, so it works without the script). Who may do it is
 * EvidenceChanges' rule; a refusal is shown on the page, as the other forms do.
 */
@WebController('evidence/:id')
export class EvidencePagesController {
  constructor(
    private readonly changes: EvidenceChanges,
    private readonly views: ViewRenderer,
  ) {}

  @Get('edit')
  async editPage(@Web() web: WebContext, @Param('id', IdPipe) id: number): Promise<string> {
    return this.renderEdit(web, await this.changes.getChangeable(web.me, id), {}, {});
  }

  @Post('edit')
  async edit(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Body() body: Record<string, unknown>, @Res() _res: Response): Promise<void> {
    const item = await this.changes.getChangeable(web.me, id);
    const values: EditValues = { kind: text(body.kind), title: text(body.title), url: text(body.url), confidential: body.confidential === 'true' };
    // An unticked box posts nothing: it means "not confidential", except for testimony, which always is.
    const confidential = values.confidential ? true : values.kind === 'testimony' ? undefined : false;
    const form = await readForm(UpdateEvidenceDto, {
      ...(values.kind ? { kind: values.kind } : {}),
      title: values.title ?? '',
      ...(item.sha256 === null ? { url: values.url ?? '' } : {}),
      ...(confidential === undefined ? {} : { confidential: String(confidential) }),
    });
    const labels = this.views.labels(web.language);
    if (!form.ok) return web.send(this.renderEdit(web, item, values, formErrorsIn(labels, form)), 422);
    try {
      const saved = await this.changes.update(web.me, id, form.value);
      web.redirect(`/recommendations/${saved.recommendationId}#evidence`, labels.t('evidencePages.saved', { title: saved.title }));
    } catch (error) {
      web.send(this.renderEdit(web, item, values, refusalIn(labels, error, (refusal) => evidenceRefusalInWords(labels, refusal, item))), 422);
    }
  }

  @Get('remove')
  async removePage(@Web() web: WebContext, @Param('id', IdPipe) id: number): Promise<string> {
    const item = await this.changes.getChangeable(web.me, id);
    const labels = this.views.labels(web.language);
    return this.views.render('evidence-remove', web.frame(labels.t('evidencePages.removeTitle'), 'recommendations'), { item: { ...item, kindLabel: labels.t(`evidenceKinds.${item.kind}`) } });
  }

  @Post('remove')
  async remove(@Web() web: WebContext, @Param('id', IdPipe) id: number, @Res() _res: Response): Promise<void> {
    const item = await this.changes.getChangeable(web.me, id);
    await this.changes.remove(web.me, id);
    web.redirect(`/recommendations/${item.recommendationId}#evidence`, this.views.t(web.language, 'evidencePages.removed', { title: item.title }));
  }

  private renderEdit(web: WebContext, item: EvidenceResponse, values: EditValues, errors: FormErrors): string {
    const typed = Object.keys(values).length > 0;
    const kind = values.kind ?? item.kind;
    const labels = this.views.labels(web.language);
    return this.views.render('evidence-edit', web.frame(labels.t('evidencePages.editTitle'), 'recommendations'), {
      item,
      form: {
        title: typed ? (values.title ?? '') : item.title,
        url: typed ? (values.url ?? '') : item.url,
        confidential: typed ? values.confidential : item.confidential,
        isLink: item.sha256 === null,
        kindOptions: EVIDENCE_KINDS.map((k) => ({ value: k, label: labels.t(`evidenceKinds.${k}`), selected: k === kind })),
      },
      errors,
    });
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * EvidenceChanges' refusals of an edit in words: a link for an uploaded file (an item with a file),
 * testimony made public. Others are said by refusalIn's common words.
 */
function evidenceRefusalInWords(labels: AppLabels, refusal: Refusal, item: EvidenceResponse): string | null {
  if (refusal.status !== 400) return null;
  if (refusal.detail.field === 'url' && item.sha256 !== null) return labels.t('evidencePages.urlOfFile');
  if (refusal.detail.field === 'confidential') return labels.t('evidencePages.testimonyConfidential');
  return null;
}
