/**
 * How a State's name is compared, whoever spelt it: UN documents, UPR Info, UHRI and people write
 * the same State with curly or straight apostrophes, with or without accents, "&" for "and", "St"
 * for "Saint", a hyphen or a space ("Guinea Bissau"), a leading "The" or UNTERM's trailing article
 * ("Netherlands (the)"). Two spellings with the same key are the same name. The key is only for
 * matching; what is stored and shown is the canonical name.
 */
export function stateMatchKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\u02bc\u02b9]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d-]/g, ' ')
    .replace(/&/g, ' and ')
    .toLowerCase()
    .replace(/\*+/g, ' ')
    .replace(/\s*\(\s*/g, ' (')
    .replace(/\s*\)/g, ')')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.;,:]+$/, '')
    .replace(/^the /, '')
    .replace(/ \((the|le|la|les|l'|el|los|las)\)$/, '')
    .replace(/^st\.? /, 'saint ')
    .replace(/^ste\.? /, 'sainte ');
}

/** Cells that name no State, on purpose: kept as written, never an unknown name. */
export const NON_STATE_NAMES: readonly string[] = [
  // UPR Info's export, 9 rows of 1-5.csv: the recommending State was not recorded.
  '&#40;Unknown&#41;',
  '(Unknown)',
];
const NON_STATE_KEYS = new Set(NON_STATE_NAMES.map(stateMatchKey));

export function isNonStateName(name: string): boolean {
  return NON_STATE_KEYS.has(stateMatchKey(name));
}

/**
 * Splits a cell that may list several States ("France; Germany", "Chile, Peru and Brazil") into
 * names, without splitting a State whose own name holds a comma, "and" or brackets ("Korea,
 * Republic of", "Bosnia and Herzegovina", "Venezuela (Bolivarian Republic of)"): semicolons always
 * separate; within each part, commas and " and " outside brackets separate unless the pieces
 * together are a known name (the longest known run wins). A part in which no run of pieces is a
 * known name stays whole, so that an unknown name is reported as it was written.
 */
export function splitStateCell(cell: string, isKnown: (name: string) => boolean): string[] {
  const names: string[] = [];
  // A name may itself hold a semicolon (UPR Info's "&#40;Unknown&#41;").
  if (isKnown(tidy(cell))) return [tidy(cell)];
  for (const part of cell.split(';').map(tidy).filter((p) => p.length > 0)) {
    if (isKnown(part)) {
      names.push(part);
      continue;
    }
    const pieces = piecesOf(part);
    if (pieces.length === 1 || !pieces.some((_, i) => pieces.some((__, j) => j >= i && isKnown(joinPieces(part, pieces, i, j))))) {
      names.push(part);
      continue;
    }
    for (let i = 0; i < pieces.length;) {
      let end = i;
      for (let j = pieces.length - 1; j > i; j -= 1) {
        if (isKnown(joinPieces(part, pieces, i, j))) {
          end = j;
          break;
        }
      }
      names.push(joinPieces(part, pieces, i, end));
      i = end + 1;
    }
  }
  return names.map(tidy).filter((n) => n.length > 0);
}

interface Piece {
  start: number;
  end: number;
  text: string;
}

/** The pieces between commas and " and " outside brackets, with their places in the part. */
function piecesOf(part: string): Piece[] {
  const pieces: Piece[] = [];
  let depth = 0;
  let start = 0;
  const cut = (end: number, next: number) => {
    pieces.push({ start, end, text: tidy(part.slice(start, end)) });
    start = next;
  };
  for (let i = 0; i < part.length; i += 1) {
    const c = part[i];
    if (c === '(' || c === '[') depth += 1;
    else if ((c === ')' || c === ']') && depth > 0) depth -= 1;
    else if (depth === 0 && c === ',') cut(i, i + 1);
    else if (depth === 0 && /\s/.test(c) && /^\s+and\s+/i.test(part.slice(i))) {
      const length = /^\s+and\s+/i.exec(part.slice(i))![0].length;
      cut(i, i + length);
      i += length - 1;
    }
  }
  cut(part.length, part.length);
  // "Chile, Peru, and Brazil": the Oxford comma leaves an empty piece before "and".
  return pieces.filter((p) => p.text.length > 0);
}

function joinPieces(part: string, pieces: Piece[], from: number, to: number): string {
  return tidy(part.slice(pieces[from].start, pieces[to].end));
}

function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/^and\s+/i, '').replace(/[.,]+$/, '').trim();
}
