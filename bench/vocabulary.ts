import type { ImplementationStatus, RecommendationResponse } from '../src/vocabulary/recommendation.vocabulary';

/** Word lists the generated recommendations are drawn from, modelled on real UPR outcome documents. */

export const PHRASES = [
  'Ratify the Optional Protocol to the Convention against Torture',
  'Abolish the death penalty',
  'Establish an official moratorium on executions with a view to abolishing the death penalty',
  'Strengthen protections for migrants and asylum seekers',
  'Investigate all allegations of torture and ill-treatment by law enforcement officials',
  'Ensure that the national human rights institution complies with the Paris Principles',
  'Adopt comprehensive legislation to prohibit discrimination on all grounds',
  'Criminalize marital rape and all forms of domestic violence',
  'Guarantee freedom of expression and protect journalists and human rights defenders',
  'Raise the minimum age of marriage to 18 years for both girls and boys',
  'Ensure access to inclusive and quality education for children with disabilities',
  'Extend a standing invitation to all special procedures mandate holders',
  'Ratify the International Convention for the Protection of All Persons from Enforced Disappearance',
  'End the practice of arbitrary detention and release all political prisoners',
  'Combat trafficking in persons, in particular women and children',
  'Improve conditions of detention and reduce prison overcrowding',
  'Guarantee the right to peaceful assembly and association',
  'Ensure the independence of the judiciary',
  'Decriminalize consensual same-sex relations between adults',
  'Protect the rights of indigenous peoples to their lands and resources',
  'Eliminate child labour and the worst forms of child labour',
  'Ensure universal access to sexual and reproductive health services',
  'Take measures to reduce maternal and infant mortality',
  'Ratify the Rome Statute of the International Criminal Court',
  'Prohibit corporal punishment of children in all settings',
  'Ensure equal pay for work of equal value for women and men',
  'Strengthen the fight against corruption and impunity',
  'Protect freedom of religion or belief and the rights of religious minorities',
  'Adopt a national action plan on business and human rights',
  'Guarantee access to safe drinking water and sanitation',
] as const;

/** Joined to a phrase so that no two texts are alike, as in real documents. */
export const CONNECTORS = ['including by', 'in particular through', 'with a view to', 'by means of', 'while ensuring', 'in line with'] as const;

export const WORDS = [
  'adequate', 'allocating', 'awareness', 'budget', 'campaigns', 'capacity', 'civil', 'society', 'consultation', 'data',
  'effective', 'enforcement', 'gender', 'independent', 'inclusive', 'judicial', 'legal', 'local', 'mechanisms', 'monitoring',
  'national', 'officials', 'oversight', 'participation', 'policies', 'programmes', 'protection', 'public', 'remedies',
  'reporting', 'resources', 'rural', 'safeguards', 'services', 'strategy', 'support', 'sustainable', 'training', 'transparent',
  'victims', 'youth', 'authorities', 'communities', 'disaggregated', 'framework', 'institutions', 'measures', 'regional',
  'reform', 'accountability',
] as const;

/** About 60 recommending States, with the awkward names (parentheses, apostrophes, commas) real data has. */
export const STATES = [
  'Argentina', 'Australia', 'Austria', 'Belgium', 'Bolivia (Plurinational State of)', 'Brazil', 'Canada', 'Chile', 'China',
  'Colombia', 'Costa Rica', "Côte d'Ivoire", 'Cuba', 'Czechia', 'Denmark', 'Ecuador', 'Egypt', 'Estonia', 'Fiji', 'Finland',
  'France', 'Germany', 'Ghana', 'Greece', 'Iceland', 'India', 'Indonesia', 'Iran (Islamic Republic of)', 'Ireland', 'Italy',
  'Japan', 'Kenya', 'Latvia', 'Lithuania', 'Luxembourg', 'Malaysia', 'Mexico', 'Montenegro', 'Namibia', 'Netherlands (Kingdom of the)',
  'New Zealand', 'Norway', 'Panama', 'Paraguay', 'Peru', 'Philippines', 'Poland', 'Portugal', 'Republic of Korea', 'Rwanda',
  'Senegal', 'Sierra Leone', 'Slovenia', 'South Africa', 'Spain', 'Sweden', 'Switzerland', 'Timor-Leste', 'Tunisia',
  'United Kingdom of Great Britain and Northern Ireland', 'Uruguay', 'Venezuela (Bolivarian Republic of)',
] as const;

/** States under review: 13 of them over UPR cycles 1 to 4 make the ~50 cycles of the benchmark. */
export const REVIEWED_STATES = [
  'Brazil', 'Egypt', 'India', 'Iran (Islamic Republic of)', 'Kenya', 'Mexico', 'Philippines', 'Poland', 'Rwanda',
  'Sri Lanka', 'Tunisia', 'United States of America', 'Viet Nam',
] as const;

/** UPR Info-style themes. */
// Theme tags as the application stores them since issue 12: UHRI codes (names are looked up in the
// theme table), 30 of those shipped, the mix of the earlier free-text list.
export const THEMES = [
  'A12', 'A41', 'A42', 'A24', 'B31', 'B51', 'D21', 'D23', 'D25', 'D26', 'D27', 'D31', 'D32', 'D43', 'D42',
  'D45', 'D44', 'D51', 'E21', 'E26', 'E41', 'E51', 'F12', 'F13', 'F31', 'F41', 'G1', 'G3', 'G4', 'H1',
] as const;

export const AFFECTED_PERSONS = [
  'women', 'girls', 'children', 'migrants', 'refugees', 'persons with disabilities', 'indigenous peoples', 'minorities',
  'LGBTI persons', 'human rights defenders', 'journalists', 'persons deprived of their liberty',
] as const;

/** The State's response and the coalition's status, weighted roughly as in real follow-up data. */
export const RESPONSE_WEIGHTS = { supported: 55, noted: 28, supported_in_part: 5, pending: 9, no_response: 3 } satisfies Record<RecommendationResponse, number>;
export const STATUS_WEIGHTS = {
  not_assessed: 30, not_started: 15, in_progress: 20, partially_implemented: 15, fully_implemented: 8, not_implemented: 9, regressed: 3,
} satisfies Record<ImplementationStatus, number>;

/** A small seeded generator (mulberry32): every run loads the same data, so runs are comparable. */
export class Random {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` different items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<T>();
    while (chosen.size < count) chosen.add(this.pick(items));
    return [...chosen];
  }

  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }
}
