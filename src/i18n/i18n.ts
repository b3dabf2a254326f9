import i18next, { type i18n as I18nInstance, type TFunction } from 'i18next';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The languages of the public intake (issue 13). */
export const LANGUAGES = ['en', 'es', 'fr', 'ht'] as const;
export type Language = (typeof LANGUAGES)[number];
/** English: of the intake and of the application alike. */
export const DEFAULT_LANGUAGE = 'en' satisfies Language;

/**
 * The languages of the signed-in application and its emails (a person's preference). Their texts
 * live in a catalogue of their own (locales/app.LANG.json, the `app` namespace: `t(lang, 'app:nav.dashboard')`),
 * so the intake form's French and Haitian Creole catalogues need not carry the application's keys.
 */
export const APP_LANGUAGES = ['en', 'es'] as const;
export type AppLanguage = (typeof APP_LANGUAGES)[number];
export const APP_NAMESPACE = 'app';

/** Each language's name in itself, for the switcher (a person looks for their own language's name). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', fr: 'Français', ht: 'Kreyòl ayisyen' };

/**
 * The catalogues: one JSON file per language in locales/, copied next to the compiled code by
 * `npm run build` (scripts/copy-web-assets.js) as the pages' templates are, and read once.
 */
export const LOCALES_DIR = join(__dirname, 'locales');

export type Catalogue = { [key: string]: string | Catalogue };

export function readCatalogue(language: Language): Catalogue {
  return JSON.parse(readFileSync(join(LOCALES_DIR, `${language}.json`), 'utf8')) as Catalogue;
}

export function readAppCatalogue(language: AppLanguage): Catalogue {
  return JSON.parse(readFileSync(join(LOCALES_DIR, `app.${language}.json`), 'utf8')) as Catalogue;
}

export function isAppLanguage(value: unknown): value is AppLanguage {
  return typeof value === 'string' && (APP_LANGUAGES as readonly string[]).includes(value);
}

/** The sign-in page's language (nobody signed in yet): as pickLanguage, among the application's languages. */
export function pickAppLanguage(queryLang: unknown, acceptsLanguages: (...languages: string[]) => string | false): AppLanguage {
  if (isAppLanguage(queryLang)) return queryLang;
  const accepted = acceptsLanguages(...APP_LANGUAGES);
  return isAppLanguage(accepted) ? accepted : DEFAULT_LANGUAGE;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language of a request: `?lang=` first, then the first of the browser's Accept-Language that we
 * have (Express's req.acceptsLanguages, which honours q-values and matches "es-MX" to "es"), else English.
 */
export function pickLanguage(queryLang: unknown, acceptsLanguages: (...languages: string[]) => string | false): Language {
  if (isLanguage(queryLang)) return queryLang;
  const accepted = acceptsLanguages(...LANGUAGES);
  return isLanguage(accepted) ? accepted : DEFAULT_LANGUAGE;
}

/**
 * One i18next instance for the whole process, its resources given inline, so it is ready
 * synchronously. The language is always passed explicitly (`t(language, key)`), never taken from
 * a global "current language": a page, an email or the command line each say whose language they
 * speak, and concurrent requests in different languages cannot mix. Values are not HTML-escaped here:
 * handlebars escapes them where a page shows them, and an email's text part needs none.
 */
export class Translator {
  private readonly instance: I18nInstance;
  private readonly fixed = new Map<Language, TFunction>();

  constructor(catalogues: Record<Language, Catalogue> = loadCatalogues(), appCatalogues: Record<AppLanguage, Catalogue> = loadAppCatalogues()) {
    this.instance = i18next.createInstance();
    const resources: Record<string, Record<string, Catalogue>> = {};
    for (const language of LANGUAGES) {
      resources[language] = { translation: catalogues[language] };
      if (isAppLanguage(language)) resources[language][APP_NAMESPACE] = appCatalogues[language];
    }
    void this.instance.init({
      initAsync: false,
      resources,
      ns: ['translation', APP_NAMESPACE],
      defaultNS: 'translation',
      lng: DEFAULT_LANGUAGE,
      // A key missing in a language shows the English text (a test keeps the catalogues complete).
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: [...LANGUAGES],
      interpolation: { escapeValue: false },
      returnNull: false,
      // No advertisement in the server's log.
      showSupportNotice: false,
    });
    for (const language of LANGUAGES) this.fixed.set(language, this.instance.getFixedT(language));
  }

  t(language: Language, key: string, values?: Record<string, unknown>): string {
    return (this.fixed.get(language) ?? this.fixed.get(DEFAULT_LANGUAGE)!)(key, values ?? {}) as string;
  }

  /** Whether the key exists in the language's own catalogue (not through the English fallback). */
  has(language: Language, key: string): boolean {
    return this.instance.exists(key, { lng: language, fallbackLng: false });
  }
}

function loadAppCatalogues(): Record<AppLanguage, Catalogue> {
  return Object.fromEntries(APP_LANGUAGES.map((language) => [language, readAppCatalogue(language)])) as Record<AppLanguage, Catalogue>;
}

function loadCatalogues(): Record<Language, Catalogue> {
  return Object.fromEntries(LANGUAGES.map((language) => [language, readCatalogue(language)])) as Record<Language, Catalogue>;
}

let shared: Translator | undefined;

/** The process's translator (catalogues read on first use): for pages, emails and the command line alike. */
export function translator(): Translator {
  shared ??= new Translator();
  return shared;
}
