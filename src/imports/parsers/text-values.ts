/** White space of any kind (line breaks, tabs, no-break spaces) as single spaces, trimmed. */
export function collapseWhiteSpace(value: string): string {
  // One scan for nearly every cell. With no two white-space characters in a row and none but plain
  // spaces, all there can be to change is one space at either end (half the UPR Info texts end with
  // one), and trimming is a slice of the same characters; an expression that also looked for white
  // space at the ends would scan such a text to its end, then its inside again after trimming.
  if (!UNCOLLAPSED_INSIDE.test(value)) return value.length > 0 && (value.charCodeAt(0) === SPACE || value.charCodeAt(value.length - 1) === SPACE) ? value.trim() : value;
  return value.trim().replace(/\s+/g, ' ');
}

/** Anything collapseWhiteSpace would change but a plain space at either end: two white-space characters in a row, or any but a plain space. */
const UNCOLLAPSED_INSIDE = /\s\s|[^\S ]/;
const SPACE = 32;

/** The values of a multi-valued cell: split, each collapsed, empty ones dropped. */
export function splitValues(value: string, separator: string | RegExp): string[] {
  return value.split(separator).map(collapseWhiteSpace).filter((item) => item !== '');
}

/**
 * The UPR cycle a Working Group session belongs to: sessions 1–12 were the first cycle (2008–2011),
 * 13–26 the second, 27–40 the third, 41 onwards the fourth (to be bounded when a fifth begins).
 */
export function cycleNumberForSession(session: string | null): number | null {
  const number = Number(session);
  if (!session || !Number.isInteger(number) || number < 1) return null;
  if (number <= 12) return 1;
  if (number <= 26) return 2;
  if (number <= 40) return 3;
  return 4;
}

/**
 * The goal number in an SDG value as sources write it: "16", "SDG 16", "Goal 16: Peace ...",
 * "16 - Peace, justice ...", "S16 SDG 16 - peace ...", a target "16.3"; null when there is
 * none or it is not 1–17.
 */
export function sdgNumber(value: string): number | null {
  const match = /^(?:-\s*)?(?:S|SDG\s*|Goal\s*)?(\d{1,2})(?:\.\w+)?(?![\w.])/i.exec(value.trim());
  const number = match ? Number(match[1]) : NaN;
  return number >= 1 && number <= 17 ? number : null;
}

/**
 * An SDG target as sources write it ("5.1", "Target 5.1", "SDG 5.1", "- 16.a - Strengthen ..."): the
 * value, collapsed, for the import to check against the shipped targets; null when it is no target.
 */
export function sdgTargetValue(value: string): string | null {
  const collapsed = collapseWhiteSpace(value.replace(/^\s*-\s*/, ''));
  return /^(?:SDG\s*)?(?:target\s*)?\d{1,2}\.[0-9a-z]{1,2}(?![\w.])/i.test(collapsed) ? collapsed : null;
}

/**
 * The values of an SDG cell: goals as numbers, targets as written (the import checks them), and the
 * first value that is neither (a goal out of 1–17, a word), or null.
 */
export function sdgValues(values: string[]): { goals: number[]; targets: string[]; bad: string | null } {
  const goals = new Set<number>();
  const targets: string[] = [];
  let bad: string | null = null;
  for (const value of values) {
    const target = sdgTargetValue(value);
    const goal = target ? null : sdgNumber(value);
    if (target) {
      if (!targets.includes(target)) targets.push(target);
    } else if (goal !== null) goals.add(goal);
    else bad ??= value;
  }
  return { goals: [...goals].sort((a, b) => a - b), targets, bad };
}

/** "26.49 Ratify ..." or "186.28. Ratify ...": the paragraph reference that starts a text, and the rest. */
export function splitParagraph(text: string): { paragraph: string | null; text: string } {
  const match = /^(\d+(?:\.\d+)+)\.?\s+(.*)$/s.exec(text);
  return match ? { paragraph: match[1], text: match[2] } : { paragraph: null, text };
}
