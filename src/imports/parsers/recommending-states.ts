import { collapseWhiteSpace } from './text-values';

/**
 * A bracketed group that names a State: it starts with a capital and has small letters, as
 * "(France)" and "(Iran (Islamic Republic of))" do and "(ICCPR)", "(2016-2020)", "(e.g. ...)" do not.
 */
function namesAState(group: string): boolean {
  return /^\p{Lu}/u.test(group) && /\p{Ll}/u.test(group) && group.length <= 100;
}

/**
 * Takes the bracketed State names off the end of a text, matching brackets from the end so that
 * names with brackets of their own stay whole: "Ratify ICCPR (Ghana)(Iran (Islamic Republic of))"
 * gives "Ratify ICCPR" and ["Ghana", "Iran (Islamic Republic of)"].
 */
export function takeTrailingStates(text: string, isStates: (group: string) => boolean = namesAState): { text: string; states: string[] } {
  const states: string[] = [];
  let end = text.trimEnd().length;
  for (;;) {
    const close = end - 1;
    if (text[close] !== ')') break;
    let open = close;
    for (let depth = 0; open >= 0; open -= 1) {
      if (text[open] === ')') depth += 1;
      if (text[open] === '(') depth -= 1;
      if (depth === 0) break;
    }
    const group = open >= 0 ? collapseWhiteSpace(text.slice(open + 1, close)) : '';
    if (!isStates(group)) break;
    states.unshift(group);
    end = text.slice(0, open).trimEnd().length;
  }
  return { text: text.slice(0, end), states };
}

/**
 * The States of one bracketed group of the current OHCHR lists, "Chile; Côte d'Ivoire" or
 * "Bolivia (Plurinational State of), Brazil": split at semicolons and commas outside brackets. A
 * piece ending in "of" or "the" is the tail of a name written with a comma ("Korea, Republic of")
 * and stays with the piece before it.
 */
export function splitStateList(group: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  const take = (end: number) => {
    const piece = collapseWhiteSpace(group.slice(start, end));
    if (names.length > 0 && /\b(?:of|the)$/i.test(piece)) names[names.length - 1] += `, ${piece}`;
    else if (piece) names.push(piece);
    start = end + 1;
  };
  for (let index = 0; index < group.length; index += 1) {
    const char = group[index];
    if (char === '(') depth += 1;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if ((char === ';' || char === ',') && depth === 0) take(index);
  }
  take(group.length);
  return names;
}

/** A bracketed group that is a list of States: every name in it names a State. */
export function namesStates(group: string): boolean {
  const names = splitStateList(group);
  return names.length > 0 && names.every(namesAState);
}

/** Drops the ";" or "." that ends a recommendation after its last State: "... (Croatia)." */
function withoutClosingMark(text: string): string {
  return text.trim().replace(/\)\s*[;.]$/, ')');
}

/**
 * Splits an OHCHR recommendation cell into its text and recommending States. One paragraph can
 * hold several States' wordings, "Ratify ICCPR (Brazil); Expedite ratification of ICCPR (Ghana);":
 * then the text keeps each wording with its States, as printed, because dropping them would lose
 * who asked for what; with a single wording the States are taken off the text.
 */
export function splitRecommendingStates(cell: string): { text: string; states: string[] } {
  const text = withoutClosingMark(cell);
  const states: string[] = [];
  let segmentStart = 0;
  for (const boundary of text.matchAll(/\)\s*;/g)) {
    const end = boundary.index + 1;
    const next = boundary.index + boundary[0].length;
    const segment = takeTrailingStates(text.slice(segmentStart, end));
    // Not a boundary: a ";" after a bracket that is not a State ("(OP-CAT); ..."), or one that goes on
    // with the same sentence ("(Paris Principles); and ...") instead of starting a new wording.
    if (segment.states.length === 0 || !/^\s*\p{Lu}/u.test(text.slice(next))) continue;
    states.push(...segment.states);
    segmentStart = next;
  }
  const last = takeTrailingStates(text.slice(segmentStart));
  if (segmentStart === 0) return last;
  return { text, states: [...new Set([...states, ...last.states])] };
}

/** UHRI repeats the States after the text ("... (Ghana);") and lists them in a column: drop the repeat. */
export function withoutRepeatedStates(text: string, listedStates: string[]): string {
  const trailing = takeTrailingStates(withoutClosingMark(text));
  const listed = new Set(listedStates.map((state) => state.toLowerCase()));
  const repeated = trailing.states.length > 0 && trailing.states.every((state) => listed.has(state.toLowerCase()));
  return repeated ? trailing.text : text;
}
