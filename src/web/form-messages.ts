import { HttpException } from '@nestjs/common';
import type { AppLabels } from '../i18n/app-labels';
import { DEFAULT_LANGUAGE } from '../i18n/i18n';
import { type FormErrors, type FormProblem, refusalToErrors } from './forms';

/**
 * Form errors in the page's language. The API's words (class-validator's messages, the services'
 * refusals) are English and stay so for the API and for an English page, unchanged. A page in
 * another language says the same thing from its catalogue (`formErrors`), chosen by what was broken
 * (the constraint's name and arguments, the refusal's status and details), never by rewriting the
 * English text.
 */
export function formErrorsIn(labels: AppLabels, form: { errors: FormErrors; problems: FormProblem[] }): FormErrors {
  if (labels.language === DEFAULT_LANGUAGE) return form.errors;
  const errors: FormErrors = {};
  for (const problem of form.problems) errors[topField(problem.field)] ??= problemIn(labels, problem);
  // Every field the English errors name has its message (a problem without a constraint: generic).
  for (const field of Object.keys(form.errors)) errors[field] ??= labels.t('formErrors.invalid');
  return errors;
}

/** What a page knows of a refusal to say it in words: its status and the details the service gave. */
export interface Refusal {
  status: number;
  /** The refusal's details: its one object, or the first of its list (a field's problem). */
  detail: Record<string, unknown>;
  /** Every field problem of a refusal that lists them. */
  problems: Record<string, unknown>[];
}

/**
 * A service's refusal as form errors in the page's language: the same fields as refusalToErrors
 * (which rethrows anything that is not a refusal), each with the page's own words for it
 * (`inWords`, the refusals this page knows), else the words common to every page (a closed cycle,
 * else by the status).
 */
export function refusalIn(labels: AppLabels, error: unknown, inWords?: (refusal: Refusal) => string | null): FormErrors {
  const english = refusalToErrors(error);
  if (labels.language === DEFAULT_LANGUAGE) return english;
  const refusal = refusalOf(error as HttpException);
  const message = inWords?.(refusal) ?? commonRefusal(labels, refusal, english.form ?? Object.values(english)[0] ?? '');
  return Object.fromEntries(Object.keys(english).map((field) => [field, message]));
}

function refusalOf(error: HttpException): Refusal {
  const details = (error.getResponse() as { details?: unknown }).details;
  const problems = Array.isArray(details) ? details.filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null) : [];
  const detail = Array.isArray(details) ? (problems[0] ?? {}) : typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : {};
  return { status: error.getStatus(), detail, problems };
}

/**
 * A closed cycle, and the statuses that say all there is (forbidden, not found, too large, a type not
 * accepted), in words; any other refusal no page knows yet is said to be one, with its reason in
 * English (better than a vague guess at what it means).
 */
function commonRefusal(labels: AppLabels, refusal: Refusal, english: string): string {
  if (refusal.detail.cycleState === 'closed') return labels.t('formErrors.refusals.cycleClosed');
  const byStatus = `formErrors.refusals.status${refusal.status}`;
  return labels.has(byStatus) ? labels.t(byStatus) : labels.t('formErrors.refusals.inEnglish', { reason: english });
}

/** One broken constraint in words: the field's own words for it if the catalogue has them, else the constraint's. */
function problemIn(labels: AppLabels, problem: FormProblem): string {
  const values = valuesOf(problem);
  for (const key of [`formErrors.fields.${topField(problem.field)}.${problem.constraint}`, `formErrors.constraints.${problem.constraint}`]) {
    if (labels.has(key)) return labels.t(key, values);
  }
  return labels.t('formErrors.invalid');
}

/** The values a constraint's words name: a length's min and max, a bound's limit, a choice's allowed values. */
function valuesOf(problem: FormProblem): Record<string, unknown> {
  const [first, second] = problem.args;
  return {
    ...(problem.constraint === 'isLength' ? { min: first, max: second } : { limit: first }),
    ...(problem.allowed ? { allowed: problem.allowed.join(', ') } : {}),
  };
}

function topField(field: string): string {
  return field.split('.')[0];
}
