import type { CycleResponse } from '../../cycles/cycles.dto';
import { IMPORT_FORMATS } from '../../imports/import-record';

/** The text fields of the cycle form, in the order the form shows them. */
const TEXT_FIELDS = ['stateUnderReview', 'session', 'documentSymbol'] as const;
/** The key dates of a cycle, in the order they happen (their English names; the pages take them from the catalogue, keyDates). */
export const KEY_DATES = [
  { name: 'stakeholderSubmissionDate', label: 'Stakeholder submissions due' },
  { name: 'reviewDate', label: 'Review (interactive dialogue)' },
  { name: 'adoptionDate', label: 'Adoption of the outcome' },
  { name: 'midTermReportDate', label: 'Mid-term report due' },
  { name: 'closeDate', label: 'Planned close' },
] as const;

/** The import's formats in English (the import page names them from the catalogue, cycleImport.formats; a test holds the two equal). */
export const IMPORT_FORMAT_OPTIONS = [
  { value: 'auto', label: 'Recognise it from the file (default)' },
  ...IMPORT_FORMATS.map((value) => ({
    value,
    label: { 'upr-info-csv': 'UPR Info database export (CSV)', 'uhri-xlsx': 'Universal Human Rights Index export (XLSX)', 'ohchr-docx': 'OHCHR matrix of recommendations (DOCX)', csv: 'This application\'s CSV template' }[value],
  })),
];

/**
 * A posted cycle form as the API's request body. Forms post text: a whole number becomes a
 * number (anything else stays text and the DTO refuses it, naming the field). A blank optional
 * field is left out when creating, and clears the value (null) when editing.
 */
export function cycleFormToRequest(body: Record<string, unknown>, mode: 'create' | 'edit'): Record<string, unknown> {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : undefined);
  const request: Record<string, unknown> = {};
  if (text('mechanism')) request.mechanism = text('mechanism');
  if (text('participation')) request.participation = text('participation');
  const number = text('number');
  request.number = number !== undefined && /^\d{1,3}$/.test(number) ? Number(number) : number;
  for (const name of [...TEXT_FIELDS, ...KEY_DATES.map((d) => d.name)]) {
    const value = text(name);
    if (value) request[name] = value;
    else if (mode === 'edit' && name !== 'stateUnderReview') request[name] = null;
    else if (name === 'stateUnderReview') request[name] = value ?? '';
  }
  return request;
}

/** What the form shows: what was posted (after a refusal), else the cycle's values. */
export function cycleFormValues(source: Partial<CycleResponse> | Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const name of ['mechanism', 'participation', 'number', ...TEXT_FIELDS, ...KEY_DATES.map((d) => d.name)]) {
    const value = (source as Record<string, unknown>)[name];
    values[name] = value === null || value === undefined ? '' : String(value);
  }
  values.mechanism ||= 'upr';
  values.participation ||= 'participated';
  return values;
}

