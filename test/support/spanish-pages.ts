import { APP_LANGUAGES, type AppLanguage, readAppCatalogue } from '../../src/i18n/i18n';
import { fixedPieces, flatten, pageTexts } from './testify-pages';

/** The application's catalogues (issue 13), flattened to dotted keys. */
export const APP = Object.fromEntries(APP_LANGUAGES.map((l) => [l, flatten(readAppCatalogue(l))])) as Record<AppLanguage, Map<string, string>>;

/** Whether a text holds a catalogue piece as whole words (not "Save" inside "Saved"). */
export const containsWords = (text: string, piece: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])${piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(text);

export interface EnglishLeft {
  leftInEnglish: string[];
  sameAsEnglishPage: string[];
}

/**
 * A check of a Spanish page against the English one: the catalogue's English texts (those Spanish says
 * otherwise) found in it, and its texts identical to the English page's that are not data (`isData`:
 * names, dates, what people typed). `prepare` takes out of both pages what is data as markup.
 */
export function englishLeftOf(isData: (text: string) => boolean, prepare: (html: string) => string = (html) => html) {
  return (spanishHtml: string, englishHtml: string): EnglishLeft => {
    const texts = pageTexts(prepare(spanishHtml));
    const joined = texts.join('\n');
    const leftInEnglish = [...APP.en]
      .filter(([key, text]) => APP.es.get(key) !== text)
      .flatMap(([key, text]) => fixedPieces(text).filter((piece) => containsWords(joined, piece)).map((piece) => `${key}: ${piece}`));
    const englishTexts = new Set(pageTexts(prepare(englishHtml)));
    const sameAsEnglishPage = texts.filter((text) => englishTexts.has(text) && !isData(text));
    return { leftInEnglish, sameAsEnglishPage };
  };
}
