export const EVIDENCE_KINDS = ['document', 'link', 'dataset', 'report', 'testimony'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/**
 * Testimony is always confidential, whatever the request says: it names or identifies people who
 * spoke at a risk. So it is never shown to members, never named in an email, never public.
 */
export function isAlwaysConfidential(kind: EvidenceKind): boolean {
  return kind === 'testimony';
}
