import { AppLabels } from '../src/i18n/app-labels';
import { APP_LANGUAGES, readAppCatalogue, translator } from '../src/i18n/i18n';
import { UpdateCycleDto } from '../src/cycles/cycles.dto';
import { conflict } from '../src/common/errors';
import { IMPORT_FORMAT_OPTIONS, KEY_DATES } from '../src/web/cycles/cycles-forms';
import { formErrorsIn, refusalIn } from '../src/web/form-messages';
import { readForm } from '../src/web/forms';
import { flatten } from './support/testify-pages';
import { ROW_PROBLEM_CODES } from '../src/imports/import-record';

const APP = Object.fromEntries(APP_LANGUAGES.map((l) => [l, flatten(readAppCatalogue(l))])) as Record<(typeof APP_LANGUAGES)[number], Map<string, string>>;

/** The admins' pages' texts (issue 13): their English as the pages said it before, and the API's rules in a person's language. */
describe('i18n: the admins\' pages and the form errors', () => {
  const en = new AppLabels(translator(), 'en');
  const es = new AppLabels(translator(), 'es');

  it('should name key dates and import formats in English exactly as the pages did', () => {
    expect(KEY_DATES.map((d) => APP.en.get(`keyDates.${d.name}`))).toEqual(KEY_DATES.map((d) => d.label));
    expect(IMPORT_FORMAT_OPTIONS.map((f) => APP.en.get(`cycleImport.formats.${f.value}`))).toEqual(IMPORT_FORMAT_OPTIONS.map((f) => f.label));
  });

  it('should say a broken rule in Spanish from the constraint and its arguments, and leave the English of the API as it is', async () => {
    const form = await readForm(UpdateCycleDto, { number: 100, stateUnderReview: '', reviewDate: '2026-02-30', mechanism: 'ilo' });
    if (form.ok) throw new Error('the form should be refused');
    expect(formErrorsIn(en, form)).toEqual(form.errors);
    expect(form.errors.reviewDate).toBe('reviewDate must be a real date written YYYY-MM-DD');
    expect(formErrorsIn(es, form)).toEqual({
      number: 'Escriba un número igual o menor que 99.',
      stateUnderReview: 'Escriba entre 1 y 200 caracteres.',
      reviewDate: 'Escriba una fecha real con el formato AAAA-MM-DD.',
      mechanism: expect.stringMatching(/^Elija uno de estos valores: upr, /),
    });
    expect(form.problems.find((p) => p.field === 'stateUnderReview')).toEqual({ field: 'stateUnderReview', constraint: 'isLength', args: [1, 200] });
  });

  it('should say a refusal in the page\'s words when the page knows it, else by its kind, with the same fields as in English', () => {
    const refusal = conflict('alias: "Chile" already names Chile (CHL)', { field: 'alias', value: 'Chile', state: 'Chile', stateCode: 'CHL' });
    expect(refusalIn(en, refusal)).toEqual({ alias: 'alias: "Chile" already names Chile (CHL)', form: 'alias: "Chile" already names Chile (CHL)' });
    expect(refusalIn(es, refusal, ({ detail }) => es.t('stateAliases.alreadyNames', { alias: detail.value, state: detail.state, code: detail.stateCode })))
      .toEqual({ alias: '«Chile» ya nombra a Chile (CHL).', form: '«Chile» ya nombra a Chile (CHL).' });
    expect(refusalIn(es, conflict('Cycle 3 is closed; nothing in a closed cycle can change', { cycleId: 3, cycleState: 'closed' })))
      .toEqual({ form: 'Este ciclo está cerrado: nada de lo que contiene puede cambiar.' });
    // One no page knows yet: said to be a refusal, its reason given in English rather than guessed at.
    expect(refusalIn(es, conflict('Something new happened'))).toEqual({ form: 'No se ha podido hacer. El motivo, en inglés: Something new happened' });
    expect(() => refusalIn(es, new Error('a bug'))).toThrow('a bug');
  });

  it("should have words in each language for every reason an import gives a bad row, with the same values", () => {
    for (const code of ROW_PROBLEM_CODES) {
      const [english, spanish] = [APP.en.get(`importProblems.${code}`), APP.es.get(`importProblems.${code}`)];
      expect({ code, english: typeof english, spanish: typeof spanish }).toEqual({ code, english: 'string', spanish: 'string' });
      const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect({ code, values: placeholders(spanish!) }).toEqual({ code, values: placeholders(english!) });
    }
    expect(es.t('importProblems.notAResponse', { value: '"Maybe"', expected: 'Accepted, Noted' })).toBe('"Maybe" no es una respuesta; se espera Accepted, Noted o nada');
  });
});
