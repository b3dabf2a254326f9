import type { AppLabels } from '../../i18n/app-labels';
import { DEFAULT_LANGUAGE } from '../../i18n/i18n';
import { MIN_PASSWORD_LENGTH } from '../../accounts/accounts.dto';
import type { FormErrors } from '../forms';

/**
 * The refusals of the account forms (sign-up through an invitation, a password reset, the setup
 * page) in the page's language. The DTOs and services refuse in English sentences, the API's, which
 * an English page shows as they are; a page in another language says, for each field refused, what
 * that field needs (accountPages.fieldErrors). A field the catalogue does not name falls back to the
 * form's general refusal.
 */
export function fieldErrorsIn(labels: AppLabels, errors: FormErrors): FormErrors {
  if (labels.language === DEFAULT_LANGUAGE) return errors;
  return Object.fromEntries(Object.keys(errors).map((field) => [
    field,
    labels.has(`accountPages.fieldErrors.${field}`) ? labels.t(`accountPages.fieldErrors.${field}`, { count: MIN_PASSWORD_LENGTH }) : labels.t('accountPages.fieldErrors.form'),
  ]));
}
