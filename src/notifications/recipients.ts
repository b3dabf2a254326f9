import type { EntityManager } from 'typeorm';
import type { AppLanguage } from '../i18n/i18n';

/** Who an email goes to, as accounts knows them. */
export interface Recipient {
  id: number;
  coalitionId: number;
  coalitionName: string;
  email: string;
  name: string;
  active: boolean;
  timeZone: string;
  /** The language of the emails sent to them. */
  language: AppLanguage;
}

/**
 * The people notifications email. Accounts owns them and provides this under RECIPIENTS; the outbox
 * only asks (notifications sits below accounts, which hands it invitation and reset emails, so it
 * cannot import accounts). Wired at the composition root (src/ports.module.ts).
 */
export interface Recipients {
  /** These people, deactivated ones included (in no particular order); ids that do not exist are left out. */
  byIds(ids: number[], manager?: EntityManager): Promise<Recipient[]>;
}

export const RECIPIENTS = Symbol('RECIPIENTS');
