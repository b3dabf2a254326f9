import { HttpException } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage, validate, type ValidationError } from 'class-validator';
import type { FieldProblem } from '../common/errors';
import { toFieldProblems } from '../common/validation';

/** A form's problems keyed by field name, for the view to show next to each control. */
export type FormErrors = Record<string, string>;

/**
 * What a field broke, as code rather than words: the constraint's name (isCalendarDate, isLength,
 * isIn…), its arguments (min and max of a length) and the allowed values of a choice. A page in
 * another language than English says it with its own catalogue (form-messages.ts).
 */
export interface FormProblem {
  field: string;
  constraint: string;
  args: unknown[];
  allowed?: readonly string[];
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FormErrors; problems: FormProblem[] };

/**
 * Checks a posted form against the API's own request class, so the pages and the API accept and
 * refuse exactly the same input. Web handlers take the body as a plain record (the global pipe
 * leaves `Record` bodies alone) and call this, so a refusal can be shown next to the field
 * instead of as an error page. `_csrf` and submit buttons are not part of the request.
 */
export async function readForm<T extends object>(type: ClassConstructor<T>, body: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<FormResult<T>> {
  const plain: Record<string, unknown> = { ...extra };
  for (const [key, value] of Object.entries(body ?? {})) {
    if (key === '_csrf' || key === 'submit') continue;
    plain[key] = value;
  }
  const value = plainToInstance(type, plain);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (errors.length === 0) return { ok: true, value };
  return { ok: false, errors: problemsToErrors(toFieldProblems(errors)), problems: formProblems(errors) };
}

/** The first constraint each field broke (validation stops at the first), with its arguments. */
function formProblems(errors: ValidationError[], parent = ''): FormProblem[] {
  const problems: FormProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraint = Object.keys(error.constraints ?? {})[0];
    if (constraint) {
      const allowed = (error.contexts && Object.values(error.contexts).find((c) => c?.allowed)?.allowed) as string[] | undefined;
      problems.push({ field, constraint, args: constraintArgs(error, constraint), ...(allowed ? { allowed } : {}) });
    }
    if (error.children?.length) problems.push(...formProblems(error.children, field));
  }
  return problems;
}

/** A constraint's arguments (e.g. [1, 200] of @Length(1, 200)), from class-validator's own record of the decorators. */
function constraintArgs(error: ValidationError, constraint: string): unknown[] {
  const target = error.target?.constructor;
  if (!target) return [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)
    .find((m) => m.propertyName === error.property && m.name === constraint);
  return Array.isArray(metadata?.constraints) ? metadata.constraints : [];
}

export function problemsToErrors(problems: FieldProblem[]): FormErrors {
  const errors: FormErrors = {};
  for (const { field, problem } of problems) errors[field.split('.')[0]] ??= problem;
  return errors;
}

/**
 * A service's refusal (400/409/422 with `details`) as form errors: the field it names, or `form`
 * for a refusal of the whole form. Anything else is rethrown for the error page.
 */
export function refusalToErrors(error: unknown): FormErrors {
  if (!(error instanceof HttpException) || ![400, 403, 404, 409, 413, 415, 422].includes(error.getStatus())) throw error;
  const body = error.getResponse() as { message?: string | string[]; details?: unknown };
  const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? error.message);
  if (Array.isArray(body.details) && body.details.every((d) => typeof d?.field === 'string')) {
    return { form: message, ...problemsToErrors(body.details as FieldProblem[]) };
  }
  const field = (body.details as { field?: string } | undefined)?.field;
  return field ? { [field]: message, form: message } : { form: message };
}

/** Checkbox lists and multi-selects post one value or many; the API wants an array. */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter((v) => v !== '');
}
