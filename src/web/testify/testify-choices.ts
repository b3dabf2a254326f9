/**
 * The themes and groups of persons the intake form offers: a short list from the canonical UHRI
 * vocabularies (migrations/1795961000000-themes.data.ts), those a person who testifies about
 * immigration, detention, health care or the courts is likely to recognise, each named in plain words
 * by the catalogues (`themes.<code>`, `groups.<key>`). The form sends the canonical code or name,
 * which the intake resolves like any other (ThemesService.requireTags). A test checks that each is in
 * the canonical lists and in every catalogue.
 */
export const FORM_THEMES: readonly string[] = ['D2', 'D3', 'D5', 'D6', 'D8', 'B3', 'B5', 'D4', 'E2', 'E3', 'E4', 'E5'];

/** [catalogue key, canonical group name]. */
export const FORM_GROUPS: readonly (readonly [string, string])[] = [
  ['migrants', 'Migrants'],
  ['refugees', 'Refugees & asylum seekers'],
  ['nonCitizens', 'Non-citizens'],
  ['stateless', 'Stateless persons'],
  ['detained', 'Persons deprived of their liberty'],
  ['children', 'Children'],
  ['youth', 'Youth'],
  ['women', 'Women'],
  ['girls', 'Girls'],
  ['older', 'Older persons'],
  ['disabilities', 'Persons with disabilities'],
  ['lgbti', 'Lesbian, gay, bisexual, transgender and intersex persons'],
  ['indigenous', 'Indigenous peoples'],
  ['minorities', 'Minorities / racial, ethnic, linguistic, religious or descent-based groups'],
  ['poverty', 'Persons living in poverty'],
  ['defenders', 'Human rights defenders'],
  ['medical', 'Medical staff'],
  ['lawyers', 'Judges, lawyers and prosecutors'],
];
