/** What the audit trail records changes of. */
export const AUDITED_ENTITIES = ['recommendation', 'evidence', 'deadline', 'cycle', 'user', 'import', 'lineage', 'state_alias', 'coalition', 'testimony', 'intake', 'vocabulary_alias'] as const;
export type AuditedEntity = (typeof AUDITED_ENTITIES)[number];
