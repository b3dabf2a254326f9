import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app.config';
import { LANGUAGE_NAMES, LANGUAGES, type Language, Translator } from '../../i18n/i18n';
import { IntakeSettingsService } from '../../testimonies/intake-settings.service';
import { hashReceipt } from '../../testimonies/receipt';
import { TestimonyIntakeService } from '../../testimonies/testimony-intake.service';
import type { IntakeUpload } from '../../testimonies/testimony-upload-storage';
import { TESTIMONY_CONSENTS, type TestimonyConsent } from '../../vocabulary/testimony.vocabulary';
import { ViewRenderer } from '../view-renderer';
import { FORM_GROUPS, FORM_THEMES } from './testify-choices';
import { type FieldError, TestifyFormError, type TestifyValues } from './testify-form';

export type TestifyFormKind = 'form' | 'add' | 'withdraw';

const TEXT_MAX = 50_000;
const FIELD_MAX: readonly (readonly [keyof TestifyValues, number])[] = [['place', 500], ['date', 200], ['agency', 500], ['contact', 500]];
const FIELD_IDS: Record<string, string> = { consent: 'consent-internal', themes: 'themes', groups: 'groups', files: 'files' };
const EMPTY: TestifyValues = { text: '', place: '', date: '', agency: '', contact: '', consent: '', themes: [], groups: [], receipt: '', website: '' };

/**
 * The public intake form /testify/<slug> and its add and withdraw pages, signed out, in the
 * person's language: each page is rendered in its own layout (views/testify-layout.hbs) with no
 * cookie and nothing from another site; each submission calls the intake service the API calls.
 * A refused form is shown again with what the person typed (to them only; never logged).
 */
@Injectable()
export class TestifyPages {
  private readonly maxMb: number;
  private readonly maxFiles: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly settings: IntakeSettingsService,
    private readonly intake: TestimonyIntakeService,
    private readonly views: ViewRenderer,
    private readonly translator: Translator,
  ) {
    this.maxMb = Math.round(config.testimony.fileMaxBytes / 1024 / 1024);
    this.maxFiles = config.testimony.maxFiles;
  }

  /** An empty form (or add / withdraw form) of an open intake; 404 for a closed or unknown one. */
  async emptyForm(kind: TestifyFormKind, slug: string, lang: Language): Promise<string> {
    const intake = await this.settings.openIntake(slug);
    return this.form(kind, intake.slug, lang, EMPTY, []);
  }

  async submit(slug: string, lang: Language, values: TestifyValues, files: IntakeUpload[]): Promise<string> {
    const errors: FieldError[] = [];
    if (values.text.trim() === '') errors.push({ field: 'text', key: 'errors.text' });
    else if (values.text.length > TEXT_MAX) errors.push({ field: 'text', key: 'errors.textTooLong', values: { max: TEXT_MAX } });
    for (const [field, max] of FIELD_MAX) if (String(values[field]).length > max) errors.push({ field, key: 'errors.fieldTooLong', values: { max } });
    if (!(TESTIMONY_CONSENTS as readonly string[]).includes(values.consent)) errors.push({ field: 'consent', key: 'errors.consent' });
    const groups = values.groups.map((key) => FORM_GROUPS.find(([k]) => k === key)?.[1]);
    if (values.themes.some((code) => !FORM_THEMES.includes(code))) errors.push({ field: 'themes', key: 'errors.choices' });
    if (groups.some((name) => name === undefined)) errors.push({ field: 'groups', key: 'errors.choices' });
    if (errors.length > 0) throw new TestifyFormError(errors);
    const { receipt } = await this.intake.submit(slug, {
      text: values.text, consent: values.consent as TestimonyConsent, language: lang, place: values.place, date: values.date, agency: values.agency,
      contact: values.contact, themes: values.themes, affectedPersons: groups as string[], website: values.website,
    }, files);
    const base = `/testify/${slug.toLowerCase()}`;
    return this.page('testify-receipt', lang, 'receipt.title', { receipt, addHref: `${base}/add?lang=${lang}`, withdrawHref: `${base}/withdraw?lang=${lang}` });
  }

  async add(slug: string, lang: Language, values: TestifyValues, files: IntakeUpload[]): Promise<string> {
    await this.settings.openIntake(slug);
    this.checkReceipt(values.receipt);
    if (values.text.trim() === '' && files.length === 0) throw new TestifyFormError([{ field: 'text', key: 'errors.addNothing' }]);
    if (values.text.length > TEXT_MAX) throw new TestifyFormError([{ field: 'text', key: 'errors.textTooLong', values: { max: TEXT_MAX } }]);
    await this.receiptKnown(() => this.intake.addTo(slug, { receipt: values.receipt, text: values.text.trim() === '' ? undefined : values.text, website: values.website }, files));
    return this.page('testify-done', lang, 'add.doneTitle', { message: 'add.done' });
  }

  /** The first step asks to confirm (nothing is destroyed yet); the second, with confirm=yes, withdraws. */
  async withdraw(slug: string, lang: Language, values: TestifyValues, confirmed: boolean): Promise<string> {
    const intake = await this.settings.openIntake(slug);
    this.checkReceipt(values.receipt);
    if (!confirmed) {
      return this.page('testify-withdraw-confirm', lang, 'withdraw.confirmTitle', {
        receipt: values.receipt, action: `/testify/${intake.slug}/withdraw?lang=${lang}`, cancel: `/testify/${intake.slug}?lang=${lang}`,
      });
    }
    await this.receiptKnown(() => this.intake.withdraw(slug, { receipt: values.receipt }));
    return this.page('testify-done', lang, 'withdraw.doneTitle', { message: 'withdraw.done' });
  }

  /** A form shown again with its errors (and what was typed, except files and the hidden field). */
  form(kind: TestifyFormKind, slug: string, lang: Language, values: TestifyValues, errors: FieldError[]): string {
    const translated = errors.map((error) => ({
      field: error.field, id: FIELD_IDS[error.field] ?? error.field, message: this.translator.t(lang, error.key, error.values),
    }));
    const byField = Object.fromEntries(translated.map((error) => [error.field, error.message]));
    const base = `/testify/${slug}`;
    const path = kind === 'form' ? base : `${base}/${kind}`;
    const titleKey = kind === 'form' ? 'form.title' : `${kind}.title`;
    return this.page(`testify-${kind}`, lang, titleKey, {
      action: `${path}?lang=${lang}`,
      addHref: `${base}/add?lang=${lang}`,
      withdrawHref: `${base}/withdraw?lang=${lang}`,
      values: { ...values, website: '' },
      errors: { list: translated, byField, any: translated.length > 0 },
      filesAgain: errors.length > 0 && kind !== 'withdraw',
      consents: TESTIMONY_CONSENTS.map((consent) => {
        const name = consent.charAt(0).toUpperCase() + consent.slice(1);
        return { value: consent, label: `form.consent${name}`, help: `form.consent${name}Help`, checked: values.consent === consent };
      }),
      themes: FORM_THEMES.map((code) => ({ value: code, id: `theme-${code}`, label: `themes.${code}`, checked: values.themes.includes(code) })),
      groups: FORM_GROUPS.map(([key]) => ({ value: key, id: `group-${key}`, label: `groups.${key}`, checked: values.groups.includes(key) })),
      maxFiles: this.maxFiles,
      maxMb: this.maxMb,
    }, LANGUAGES.map((language) => ({ lang: language, name: LANGUAGE_NAMES[language], href: `${path}?lang=${language}`, current: language === lang })));
  }

  /**
   * A page in the intake's layout. `switcher`: the language links, on the pages reached by a link;
   * the pages that answer a form (the receipt above all) have none, since following one would lose them.
   */
  page(view: string, lang: Language, titleKey: string, data: object, switcher: object[] | null = null): string {
    return this.views.render(view, { title: this.translator.t(lang, titleKey), user: null, csrfToken: '', lang, layout: 'testify-layout' }, { ...data, switcher });
  }

  private checkReceipt(receipt: string): void {
    if (!hashReceipt(receipt)) throw new TestifyFormError([{ field: 'receipt', key: 'errors.receipt' }]);
  }

  /** The intake's 404 for a receipt it does not know is, on the page, an error next to the field. */
  private async receiptKnown<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof NotFoundException) throw new TestifyFormError([{ field: 'receipt', key: 'errors.receiptUnknown' }], 404);
      throw error;
    }
  }
}
