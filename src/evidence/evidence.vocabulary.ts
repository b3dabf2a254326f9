export const EVIDENCE_KINDS = ['document', 'link', 'dataset', 'report', 'testimony'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
