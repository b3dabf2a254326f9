import { Body, Get, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { fileSource } from '../../imports/import-source';
import { Roles } from '../../auth/auth.decorators';
import { sha256OfFile } from '../../common/file-hash';
import { CyclesService } from '../../cycles/cycles.service';
import type { ImportSummary } from '../../imports/import-summary';
import { ImportRequestDto } from '../../imports/imports.dto';
import { ImportsService } from '../../imports/imports.service';
import { IMPORT_FORMAT_OPTIONS } from './cycles-forms';
import { ImportUploadInterceptor, type UploadedImportFile } from './cycles-import-upload';
import { type FormErrors, readForm } from '../forms';
import { formErrorsIn, type Refusal, refusalIn } from '../form-messages';
import type { AppLabels } from '../../i18n/app-labels';
import { DEFAULT_LANGUAGE } from '../../i18n/i18n';
import { Web, type WebContext } from '../web-context';
import { WebController } from '../web-controller.decorator';
import { ViewRenderer } from '../view-renderer';

/** Problems listed on the preview; the import refuses or skips them all either way. */
const PROBLEMS_SHOWN = 500;

interface ImportFormValues {
  format: string;
  cycleId: string;
}

/**
 * Importing a file of recommendations in two steps: a dry run that shows what would be created,
 * updated, left unchanged and rejected (every bad row with its line and reason), then the import
 * for real. The second step asks for the file again (re-upload) rather than keeping it on the
 * server between the two requests: nothing is stored for an import that is never confirmed, and
 * no key to a stored file travels through the browser. The preview's SHA-256 goes along in a
 * hidden field so that the import refuses a different file than the one previewed.
 */
@WebController('cycles/import')
export class CycleImportPagesController {
  constructor(
    private readonly imports: ImportsService,
    private readonly cycles: CyclesService,
    private readonly views: ViewRenderer,
  ) {}

  @Get()
  @Roles('admin')
  async importPage(@Web() web: WebContext, @Query('cycleId') cycleId: string | undefined): Promise<string> {
    return this.render(web, { format: 'auto', cycleId: /^\d+$/.test(cycleId ?? '') ? cycleId! : '' }, {});
  }

  /** `step` is "preview" (a dry run) or "import" (for real); multipart, so the CSRF token is in the query. */
  @Post()
  @Roles('admin')
  @UseInterceptors(ImportUploadInterceptor)
  async upload(@Web() web: WebContext, @Body() body: Record<string, unknown>, @UploadedFile() file: UploadedImportFile | undefined, @Res() _res: Response): Promise<void> {
    const values: ImportFormValues = { format: text(body.format) || 'auto', cycleId: text(body.cycleId) };
    const forReal = body.step === 'import';
    const labels = this.views.labels(web.language);
    if (!file || file.size === 0) return web.send(await this.render(web, values, { file: labels.t('cycleImport.chooseFile') }), 422);
    const { sha256 } = await sha256OfFile(file.path);
    const previewed = text(body.previewedSha256);
    if (forReal && previewed && previewed !== sha256) {
      return web.send(await this.render(web, values, { file: labels.t('cycleImport.notPreviewed') }), 422);
    }
    const form = await readForm(ImportRequestDto, {
      format: values.format,
      ...(values.cycleId ? { cycleId: values.cycleId } : {}),
      dryRun: forReal ? 'false' : 'true',
      // The preview counts the good rows even when some are bad; importing them needs the admin's choice.
      partial: forReal ? (body.partial === 'true' ? 'true' : 'false') : 'true',
    });
    if (!form.ok) return web.send(await this.render(web, values, formErrorsIn(labels, form)), 422);
    let summary: ImportSummary;
    try {
      summary = await this.imports.run(
        fileSource(file.path, file.originalname),
        { coalitionId: web.me.coalitionId, format: form.value.format ?? 'auto', cycleId: form.value.cycleId, dryRun: form.value.dryRun ?? false, partial: form.value.partial ?? false, actor: web.me },
      );
    } catch (error) {
      return web.send(await this.render(web, values, refusalIn(labels, error, (refusal) => importRefusalInWords(labels, refusal))), 422);
    }
    if (forReal && !summary.committed) {
      const errors = {
        form: summary.problems.length === 0 && summary.unknownNames.length > 0
          ? labels.t('cycleImport.unknownNames', { names: summary.unknownNames.length })
          : labels.t('cycleImport.badRows', { rejected: summary.rejected }),
      };
      return web.send(await this.render(web, values, errors, { summary, sha256 }), 422);
    }
    web.send(await this.render(web, values, {}, { summary, sha256, done: forReal }));
  }

  private async render(web: WebContext, values: ImportFormValues, errors: FormErrors, result?: { summary: ImportSummary; sha256: string; done?: boolean }): Promise<string> {
    const cycles = (await this.cycles.list(web.me)).filter((c) => c.state === 'open');
    const summary = result?.summary;
    const labels = this.views.labels(web.language);
    const formatLabel = (format: string) => labels.t(`cycleImport.formats.${format}`);
    return this.views.render('cycle-import', web.frame(labels.t(result?.done ? 'cycleImport.titleDone' : summary ? 'cycleImport.titlePreview' : 'cycleImport.titleImport'), 'cycles'), {
      values,
      errors,
      formats: IMPORT_FORMAT_OPTIONS.map((f) => ({ value: f.value, label: formatLabel(f.value), selected: f.value === values.format })),
      cycles: cycles.map((c) => ({ id: c.id, name: labels.cycleWithSession(c), selected: String(c.id) === values.cycleId })),
      done: result?.done ?? false,
      summary: summary && {
        ...summary,
        formatLabel: labels.has(`cycleImport.formats.${summary.format}`) ? formatLabel(summary.format) : summary.format,
        // English as the import names them ("…, session 46"); another language as its pages name cycles.
        cycles: web.language === DEFAULT_LANGUAGE ? summary.cycles : summary.cycles.map((cycle) => ({ ...cycle, label: labels.cycleWithSession(cycle) })),
        unknownNames: summary.unknownNames.map((u) => ({ ...u, fieldLabel: labels.has(`cycleImport.unknownFields.${u.field}`) ? labels.t(`cycleImport.unknownFields.${u.field}`) : u.field })),
        lineageNote: summary.lineageNote && labels.t('cycleImport.lineageNote', { count: summary.created }),
        // English as the API words them; another language from each reason's code and values.
        problemsShown: summary.problems.slice(0, PROBLEMS_SHOWN).map((p) => (web.language === DEFAULT_LANGUAGE ? p : { ...p, problem: labels.t(`importProblems.${p.code}`, p.values) })),
        moreProblems: Math.max(0, summary.problems.length - PROBLEMS_SHOWN) + (summary.problemsNotListed ?? 0),
        canImport: summary.created + summary.updated > 0 && summary.unknownNames.length === 0,
      },
      sha256: result?.sha256,
    });
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The import's refusals of a whole file in words: over one of the import's limits (the details name
 * it), else unreadable (the file is damaged or not a format it reads; the English says which part).
 */
function importRefusalInWords(labels: AppLabels, refusal: Refusal): string | null {
  if (refusal.detail.field !== 'file') return null;
  if (typeof refusal.detail.limit === 'string') return labels.t('cycleImport.overLimit', { limit: refusal.detail.limit });
  return refusal.status === 400 ? labels.t('cycleImport.unreadable') : null;
}
