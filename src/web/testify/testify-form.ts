import { HttpException, HttpStatus } from '@nestjs/common';
import { DEFAULT_LANGUAGE, type Language, pickLanguage } from '../../i18n/i18n';
import type { Request } from 'express';

/** A refusal of one field, as a catalogue key (translated when the form is shown again). */
export interface FieldError {
  field: string;
  key: string;
  values?: Record<string, unknown>;
}

/** A form refused before anything was written: shown again, translated, with what the person typed. */
export class TestifyFormError extends HttpException {
  constructor(readonly errors: FieldError[], status: number = HttpStatus.UNPROCESSABLE_ENTITY) {
    // No value in the body: this is never shown as JSON, and a value could be testimony text.
    super({ statusCode: status, error: 'Unprocessable Entity', message: 'The form was refused', details: errors.map(({ field, key }) => ({ field, key })) }, status);
  }
}

/** What the person typed, read from the posted form: strings only, lists as lists, nothing else. */
export interface TestifyValues {
  text: string;
  place: string;
  date: string;
  agency: string;
  contact: string;
  consent: string;
  themes: string[];
  groups: string[];
  receipt: string;
  /** The hidden field (form.honeypot): never shown again. */
  website: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : []);

export function valuesOf(body: unknown): TestifyValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return {
    text: text(b.text), place: text(b.place), date: text(b.date), agency: text(b.agency), contact: text(b.contact),
    consent: text(b.consent), themes: list(b.themes), groups: list(b.groups), receipt: text(b.receipt), website: text(b.website),
  };
}

/** The page's language: ?lang= (the forms post to their action with it), then Accept-Language, then English. */
export function languageOf(request: Request): Language {
  try {
    return pickLanguage(request.query?.lang, (...languages) => request.acceptsLanguages(...languages));
  } catch {
    return DEFAULT_LANGUAGE;
  }
}
