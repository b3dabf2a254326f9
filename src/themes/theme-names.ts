/**
 * How a theme's or a group's name is compared, whoever wrote it: OHCHR, UHRI, UPR Info and people
 * write the same theme with "&" or "and", curly or straight apostrophes, in capitals or not, with
 * UHRI's list dash ("- women") and spaces around a slash ("minorities/ racial"). Two spellings with
 * the same key are the same name. The key is only for matching; what is stored is the canonical
 * code (themes), name (groups) or number (SDGs).
 */
export function vocabularyKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\u02bc\u02b9]/g, "'")
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, '-')
    .replace(/&/g, ' and ')
    .toLowerCase()
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s*\(\s*/g, ' (')
    .replace(/\s*\)/g, ')')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^-\s*/, '')
    .replace(/[.;,:]+$/, '')
    .trim();
}

/** "D23 Death penalty" (OHCHR matrices, UHRI exports): the code and the name; null for a name alone. */
export function splitCodedTheme(value: string): { code: string; name: string } | null {
  const match = /^(?:-\s*)?([A-H]\d{1,2})\s+(.+)$/.exec(value.trim());
  return match ? { code: match[1], name: match[2] } : null;
}
