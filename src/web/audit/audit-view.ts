import type { AuditEntryResponse } from '../../audit/audit.dto';
import type { AppLabels } from '../../i18n/app-labels';

export const ACTION_LABELS: Record<string, string> = {
  created: 'Created', updated: 'Changed', status_changed: 'Status changed', added: 'Added', deleted: 'Deleted', published: 'Published',
  unpublished: 'Unpublished', closed: 'Closed', invited: 'Invited', invitation_resent: 'Invitation sent again', imported: 'Imported',
  confirmed: 'Predecessor confirmed', rejected: 'Predecessor rejected', removed: 'Removed', reclassified: 'Reclassified',
  response_set_by_participation: 'Changed: the State did not take part in the review',
  received: 'Received', read: 'Read', file_read: 'File read', added_to: 'Added to', withdrawn: 'Withdrawn', state_changed: 'State changed', tagged: 'Tagged',
  excerpt_written: 'Excerpt written', excerpt_removed: 'Excerpt removed',
  enabled: 'Enabled', disabled: 'Disabled', key_rotated: 'Key rotated',
};

export const ENTITY_LABELS: Record<string, string> = {
  recommendation: 'Recommendation', evidence: 'Evidence', deadline: 'Deadline', cycle: 'Cycle', user: 'Person', import: 'Import', lineage: 'Lineage', state_alias: 'State alias', coalition: 'Coalition',
  testimony: 'Testimony', intake: 'Testimony intake', vocabulary_alias: 'Theme or group alias',
};

/** "ownerIds" → "Owner ids", "recommendingStates" → "Recommending states". */
export function fieldLabel(field: string): string {
  const words = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map(show).join('; ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface AuditRow {
  id: number;
  at: string;
  who: string;
  what: string;
  whatUrl: string | null;
  action: string;
  changes: { field: string; before: string; after: string }[];
}

/**
 * An audit entry as the pages show it: who, what, and each changed field before and after. With
 * `labels` (a translated page) the action, the entity and the fields the catalogue knows are named in
 * the person's language (their English there is exactly this file's); the values are shown as stored.
 */
export function auditRow(entry: AuditEntryResponse, labels?: AppLabels): AuditRow {
  const named = (group: string, code: string, english: string) => (labels?.has(`auditEntries.${group}.${code}`) ? labels.t(`auditEntries.${group}.${code}`) : english);
  const fields = [...new Set([...Object.keys(entry.before ?? {}), ...Object.keys(entry.after ?? {})])];
  const url = entry.entityId === null ? null
    : entry.entity === 'recommendation' || entry.entity === 'lineage' ? `/recommendations/${entry.entityId}`
    : entry.entity === 'cycle' ? `/cycles/${entry.entityId}`
    : entry.recommendationId !== null ? `/recommendations/${entry.recommendationId}` : null;
  return {
    id: entry.id,
    at: entry.at,
    who: entry.actorName ?? (labels ? labels.t('auditEntries.commandLine') : 'the command line'),
    what: `${named('entities', entry.entity, ENTITY_LABELS[entry.entity] ?? entry.entity)}${entry.entityId === null ? '' : ` #${entry.entityId}`}`,
    whatUrl: url,
    action: named('actions', entry.action, ACTION_LABELS[entry.action] ?? entry.action),
    changes: fields.map((field) => ({ field: named('fields', field, fieldLabel(field)), before: show(entry.before?.[field]), after: show(entry.after?.[field]) })),
  };
}

export const AUDIT_ENTITY_OPTIONS = Object.entries(ENTITY_LABELS).map(([value, label]) => ({ value, label }));
