import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthUser } from '../auth/auth-user';
import { AppLabels } from '../i18n/app-labels';
import { APP_NAMESPACE, type AppLanguage, DEFAULT_LANGUAGE, isAppLanguage, isLanguage, Translator } from '../i18n/i18n';

/** What every page's layout needs besides its own data. */
export interface PageFrame {
  title: string;
  user: AuthUser | null;
  /** The form token every POST form carries (hidden field `_csrf`). */
  csrfToken: string;
  /** A one-time message from the previous form (after a redirect). */
  flash?: string | null;
  /** Which navigation entry is the current page. */
  nav?: string;
  /** The page's language (`<html lang>` and the `t` helper); English when absent. */
  lang?: string;
  /** Signed out, whether the language came from `?lang=` (forms and links then keep it). */
  langQuery?: boolean;
  /** The language links of a public page (its own address with ?lang=), shown in the header. */
  switcher?: { lang: string; name: string; href: string; current: boolean }[];
  /** Another layout than views/layout.hbs (the public intake form has its own, translated). */
  layout?: string;
}

const VIEWS_DIR = join(__dirname, 'views');

/**
 * The signed-in pages whose every text comes from the application's catalogue (issue 13). Any
 * other page shown to a person whose language is not English keeps its English body inside
 * `<div lang="en">` under a note saying so, so that a screen reader reads it as English; the layout
 * around it (navigation, footer) is in the person's language.
 */
const TRANSLATED_VIEWS = new Set(['sign-in', 'dashboard', 'settings-page', 'recommendations', 'recommendation', 'cycle-list', 'cycle-detail', 'people-list', 'outbox-list',
  'testimony-list', 'testimony-detail', 'error', 'invitation-accept', 'password-forgot', 'password-forgot-sent', 'password-link-refused', 'password-reset',
  'setup', 'ledger-page']);

/**
 * Server-rendered pages: handlebars templates in views/ (escaped by default: a recommendation's
 * text is shown as text, never as markup), each rendered into views/layout.hbs. Templates are
 * compiled once, at start-up.
 */
@Injectable()
export class ViewRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly views = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;

  constructor(private readonly translator: Translator) {
    this.registerHelpers();
    for (const file of readdirSync(join(VIEWS_DIR, 'partials'))) {
      if (file.endsWith('.hbs')) this.handlebars.registerPartial(file.slice(0, -4), readFileSync(join(VIEWS_DIR, 'partials', file), 'utf8'));
    }
    for (const file of readdirSync(VIEWS_DIR)) {
      if (file.endsWith('.hbs')) this.views.set(file.slice(0, -4), this.handlebars.compile(readFileSync(join(VIEWS_DIR, file), 'utf8'), { strict: false }));
    }
    this.layout = this.views.get('layout')!;
  }

  /** A text of the application's catalogue (`key` without the `app:` prefix), for titles and messages made in code. */
  t(language: AppLanguage, key: string, values?: Record<string, unknown>): string {
    return this.translator.t(language, `${APP_NAMESPACE}:${key}`, values);
  }

  /** Names of cycles, deadlines and statuses in a language, for page data made in code. */
  labels(language: AppLanguage): AppLabels {
    return new AppLabels(this.translator, language);
  }

  render(view: string, frame: PageFrame, data: object = {}): string {
    const template = this.views.get(view);
    if (!template) throw new Error(`No view named ${view}`);
    const user = frame.user ? { ...frame.user, isAdmin: frame.user.role === 'admin', canEdit: frame.user.role !== 'member' } : null;
    const lang = frame.lang ?? DEFAULT_LANGUAGE;
    const untranslated = !frame.layout && lang !== DEFAULT_LANGUAGE && !TRANSLATED_VIEWS.has(view);
    const page = { ...frame, user, lang, untranslated };
    const layout = frame.layout ? this.views.get(frame.layout) : this.layout;
    if (!layout) throw new Error(`No layout named ${frame.layout}`);
    // An untranslated body is English throughout: partials it shares with translated pages (the audit
    // entries, status names) speak English inside its <div lang="en"> too.
    const body = template({ ...data, page: untranslated ? { ...page, lang: DEFAULT_LANGUAGE } : page });
    return layout({ ...data, page, body: new this.handlebars.SafeString(body) });
  }

  private registerHelpers(): void {
    const h = this.handlebars;
    h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    h.registerHelper('not', (a: unknown) => !a);
    h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    h.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    h.registerHelper('includes', (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value));
    // A status or response in the page's language; an unknown code is shown as it is.
    const label = (group: string, code: string, options: Handlebars.HelperOptions) => {
      const key = `${APP_NAMESPACE}:${group}.${code}`;
      return this.translator.has(DEFAULT_LANGUAGE, key) ? this.translator.t(appLanguageOf(options), key) : code;
    };
    h.registerHelper('statusLabel', (status: string, options: Handlebars.HelperOptions) => label('statuses', status, options));
    h.registerHelper('responseLabel', (response: string, options: Handlebars.HelperOptions) => label('responses', response, options));
    // How a page names a recommendation in a sentence: its paragraph, else "#id".
    h.registerHelper('recommendationRef', (paragraph: unknown, id: unknown) => (paragraph ? String(paragraph) : `#${String(id)}`));
    h.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
    h.registerHelper('date', (value: unknown) => (value ? toDate(value).toISOString().slice(0, 10) : ''));
    h.registerHelper('dateTime', (value: unknown) => (value ? toDate(value).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : ''));
    h.registerHelper('plural', (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`);
    h.registerHelper('json', (value: unknown) => JSON.stringify(value));
    // {{t "form.title"}}, {{t "form.filesHelp" count=3}}: the catalogue's text in the page's language
    // (page.lang of the render), escaped by handlebars like any other value.
    // {{t key values}} takes the values as an object (e.g. an error's, chosen by the page's code).
    h.registerHelper('t', (key: string, ...rest: unknown[]) => {
      const options = rest.pop() as Handlebars.HelperOptions;
      const lang = pageLanguage(options);
      const values = { ...(rest[0] && typeof rest[0] === 'object' ? rest[0] : {}), ...(options.hash as Record<string, unknown>) };
      return this.translator.t(isLanguage(lang) ? lang : DEFAULT_LANGUAGE, key, values);
    });
  }
}

function pageLanguage(options: Handlebars.HelperOptions): string | undefined {
  return (options.data?.root as { page?: { lang?: string } } | undefined)?.page?.lang;
}

function appLanguageOf(options: Handlebars.HelperOptions): AppLanguage {
  const lang = pageLanguage(options);
  return isAppLanguage(lang) ? lang : DEFAULT_LANGUAGE;
}

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
