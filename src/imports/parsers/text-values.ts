/** White space of any kind (line breaks, tabs, no-break spaces) as single spaces, trimmed. */
export function collapseWhiteSpace(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

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

/** "26.49 Ratify ..." or "186.28. Ratify ...": the paragraph reference that starts a text, and the rest. */
export function splitParagraph(text: string): { paragraph: string | null; text: string } {
  const match = /^(\d+(?:\.\d+)+)\.?\s+(.*)$/s.exec(text);
  return match ? { paragraph: match[1], text: match[2] } : { paragraph: null, text };
}
