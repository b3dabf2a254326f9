import type { EntityManager } from 'typeorm';

/**
 * What a withdrawal asks of the links between a testimony and recommendations (issue 13): remove
 * them all, in the withdrawal's transaction. The links are evidence items, which testimonies does
 * not own; the triage (src/triage) answers, bound where the application is put together
 * (src/ports.module.ts), as recommendations' EVIDENCE_CITATIONS is.
 */
export interface TestimonyLinks {
  removeAllOf(coalitionId: number, testimonyId: number, at: Date, manager: EntityManager): Promise<void>;
}

export const TESTIMONY_LINKS = Symbol('TESTIMONY_LINKS');
