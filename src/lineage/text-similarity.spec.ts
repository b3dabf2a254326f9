import { normaliseWords, SimilarityIndex, similarity, stem } from './text-similarity';

describe('text similarity', () => {
  it('should normalise case, accents, punctuation, white space and common words', () => {
    expect(normaliseWords('  Ratify   the Convention on the Rights of the Child — TORTURE; Políticas! ')).toEqual(['ratifi', 'crc', 'tortur', 'politica']);
    expect(normaliseWords('... ; ')).toEqual([]);
  });

  it('should fold the usual English endings onto one stem', () => {
    expect(new Set(['ratify', 'ratifies', 'ratified', 'ratifying'].map(stem))).toEqual(new Set(['ratifi']));
    expect(new Set(['policy', 'policies'].map(stem)).size).toBe(1);
    expect(new Set(['process', 'processes'].map(stem)).size).toBe(1);
    expect(new Set(['abolish', 'abolishes', 'abolished', 'abolishing'].map(stem)).size).toBe(1);
    expect(stem('status')).toBe('status');
  });

  it('should score the same recommendation made again above the 0.5 threshold', () => {
    // The treaty is one word (treaty-names.ts): "consider" weighs more in so short a text than it did.
    expect(similarity('Ratify the Optional Protocol to the Convention against Torture', 'Consider ratifying the Optional Protocol to the Convention against Torture')).toBe(0.775);
    expect(similarity('Abolish the death penalty', 'Establish an official moratorium on executions with a view to abolishing the death penalty')).toBeGreaterThanOrEqual(0.5);
    expect(similarity('Guarantee freedom of expression and protect journalists and human rights defenders', 'Protect human rights defenders and journalists, and guarantee freedom of expression')).toBeGreaterThanOrEqual(0.5);
    expect(similarity('Abolish the death penalty.', 'abolish the DEATH penalty')).toBe(1);
  });

  it('should score different recommendations below the threshold', () => {
    expect(similarity('Ratify the Optional Protocol to the Convention against Torture', 'Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights')).toBeLessThan(0.5);
    // Two treaties, one token each: only "ratify" is shared.
    expect(similarity('Ratify the Rome Statute of the International Criminal Court', 'Ratify the Convention on the Rights of Persons with Disabilities')).toBe(0.333);
    expect(similarity('Protect the rights of women and girls', 'Ensure access to inclusive and quality education for children with disabilities')).toBe(0);
    expect(similarity('', 'Abolish the death penalty')).toBe(0);
  });

  it('should find through the index exactly what pairwise comparison finds', () => {
    const older = [
      'Abolish the death penalty',
      'Ratify the Optional Protocol to the Convention against Torture',
      'Ensure the independence of the judiciary',
      'Abolish the death penalty in law and in practice',
    ];
    const index = new SimilarityIndex(older);
    const matches = index.query('Abolish the death penalty without delay', 0.5).sort((a, b) => a.index - b.index);
    const expected = older.map((text, i) => ({ index: i, score: similarity('Abolish the death penalty without delay', text) })).filter((m) => m.score >= 0.5);
    expect(matches).toEqual(expected);
    expect(matches.map((m) => m.index)).toEqual([0, 3]);
    // The index is reusable: a second query is not polluted by the first.
    expect(index.query('Ensure the independence of the judiciary', 0.5)).toEqual([{ index: 2, score: 1 }]);
  });

  // Speed is measured in bench/, never asserted here: this checks that the index finds exactly
  // what a brute-force comparison finds, on enough random pairs (150 new against 500 older: 75,000
  // pairs) to meet every branch of the index; the brute force is the slow part, hence not larger.
  it('should find the same matches as comparing every pair when 150 new meet 500 older', () => {
    const words = ['ratify', 'protocol', 'torture', 'death', 'penalty', 'women', 'children', 'migrants', 'detention', 'judiciary',
      'freedom', 'expression', 'assembly', 'education', 'health', 'water', 'indigenous', 'land', 'police', 'violence'];
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const text = () => Array.from({ length: 12 }, () => words[Math.floor(random() * words.length)]).join(' ');
    const older = Array.from({ length: 500 }, text);
    const index = new SimilarityIndex(older);
    let found = 0;
    for (let i = 0; i < 150; i++) {
      const subject = text();
      const fromIndex = index.query(subject, 0.5).map((m) => m.index).sort((a, b) => a - b);
      const bruteForce = older.map((candidate, j) => ({ j, score: similarity(subject, candidate) })).filter((m) => m.score >= 0.5).map((m) => m.j);
      expect(fromIndex).toEqual(bruteForce);
      found += bruteForce.length;
    }
    // Not a comparison of two empty lists: the random texts do match one another.
    expect(found).toBeGreaterThan(150);
  });
});
