/**
 * How alike two recommendation texts are, from 0 (nothing in common) to 1 (the same words and
 * word pairs in the same proportions).
 *
 * 1. Normalise: lower case, accents removed, everything but letters and digits becomes a space,
 *    white space collapsed, the core treaties' names and abbreviations folded to one token each
 *    (treaty-names.ts: "CEDAW" and "the Convention on the Elimination of All Forms of
 *    Discrimination against Women" are the same word), very common words dropped (STOP_WORDS), and a light stemming that folds
 *    the usual English endings ("ratifies", "ratified", "ratifying" and "ratify" all become "ratifi").
 * 2. Describe a text by how often each word occurs, and each pair of neighbouring words ("optional
 *    protocol"): the pairs reward the same wording, not only the same vocabulary.
 * 3. Compare two descriptions by cosine similarity: the dot product of the two count vectors
 *    divided by the product of their lengths. It does not grow with text length, so a short
 *    recommendation made again in a longer sentence still scores well.
 *
 * Examples (see text-similarity.spec.ts and treaty-names.spec.ts): "Ratify the Optional Protocol to
 * the Convention against Torture" against "Consider ratifying the Optional Protocol to the
 * Convention against Torture" scores 0.78; "Become a party to CEDAW" against "Ratify the Convention
 * on the Elimination of All Forms of Discrimination against Women" 1; "Abolish the death penalty"
 * against "Establish an official moratorium on executions with a view to abolishing the death
 * penalty" 0.62; the Optional Protocol to CAT against the one to the ICESCR, and "Ratify the Rome
 * Statute …" against "Ratify the Convention on the Rights of Persons with Disabilities" 0.33: below
 * the 0.5 threshold.
 */

import { foldTreatyNames } from './treaty-names';

/** Function words, and the stock phrases of UPR recommendations that say nothing about the subject. */
const STOP_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'nor', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'with', 'from', 'as', 'into', 'onto',
  'its', 'it', 'their', 'his', 'her', 'our', 'that', 'this', 'these', 'those', 'be', 'been', 'is', 'are', 'was', 'were',
  'all', 'any', 'such', 'which', 'who', 'whom', 'whose', 'other', 'also', 'well', 'so', 'than', 'there', 'including',
  'particular', 'particularly', 'order', 'view', 'further', 'continue', 'efforts', 'take', 'necessary', 'measures', 'steps',
  'state', 'country', 'government', 'national',
]);

export type TermCounts = Map<string, number>;

export interface TextVector {
  terms: TermCounts;
  /** Euclidean length of the count vector; 0 for a text with no words left. */
  norm: number;
}

/** The text's significant words, in order. */
export function normaliseWords(text: string): string[] {
  // Treaties are folded to one token each before stop words go ("of", "the" are part of their names).
  const flat = foldTreatyNames(text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
  if (!flat) return [];
  return flat.split(' ').filter((word) => !STOP_WORDS.has(word)).map(stem);
}

/**
 * A deliberately small stemmer: only the endings that keep the same recommendation from matching
 * itself across cycles ("ratify" / "ratifying", "measure" / "measures", "policy" / "policies").
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (/(ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  return w;
}

export function vectorise(text: string): TextVector {
  const words = normaliseWords(text);
  const terms: TermCounts = new Map();
  const add = (term: string) => terms.set(term, (terms.get(term) ?? 0) + 1);
  words.forEach((word, i) => {
    add(word);
    if (i > 0) add(`${words[i - 1]} ${word}`);
  });
  let sum = 0;
  for (const count of terms.values()) sum += count * count;
  return { terms, norm: Math.sqrt(sum) };
}

export function cosine(a: TextVector, b: TextVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.terms.size <= b.terms.size ? [a.terms, b.terms] : [b.terms, a.terms];
  let dot = 0;
  for (const [term, count] of small) dot += count * (large.get(term) ?? 0);
  return dot / (a.norm * b.norm);
}

/** Similarity of two texts, rounded to three decimals (as stored). */
export function similarity(a: string, b: string): number {
  return roundScore(cosine(vectorise(a), vectorise(b)));
}

export function roundScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}

export interface Match {
  /** Position of the matching text in the list the index was built from. */
  index: number;
  score: number;
}

/**
 * Many texts, ready to be compared with one more. An inverted index (term → texts holding it)
 * means each query touches only the texts that share at least one term with it, instead of
 * comparing against every text: 350 new recommendations against 1,000 older ones take a few
 * milliseconds.
 */
export class SimilarityIndex {
  private readonly postings = new Map<string, { index: number; count: number }[]>();
  private readonly norms: Float64Array;
  private readonly dots: Float64Array;

  constructor(texts: readonly string[]) {
    this.norms = new Float64Array(texts.length);
    this.dots = new Float64Array(texts.length);
    texts.forEach((text, index) => {
      const vector = vectorise(text);
      this.norms[index] = vector.norm;
      for (const [term, count] of vector.terms) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ index, count });
      }
    });
  }

  /** Every indexed text at least `threshold` alike to `text` (rounded scores), in no particular order. */
  query(text: string, threshold: number): Match[] {
    const vector = vectorise(text);
    if (vector.norm === 0) return [];
    const touched: number[] = [];
    for (const [term, count] of vector.terms) {
      for (const posting of this.postings.get(term) ?? []) {
        if (this.dots[posting.index] === 0) touched.push(posting.index);
        this.dots[posting.index] += count * posting.count;
      }
    }
    const matches: Match[] = [];
    for (const index of touched) {
      const score = roundScore(this.dots[index] / (vector.norm * this.norms[index]));
      this.dots[index] = 0;
      if (score >= threshold) matches.push({ index, score });
    }
    return matches;
  }
}
