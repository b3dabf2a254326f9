import { isEmail, registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';
import { DateTime, IANAZone } from 'luxon';

/**
 * A field that may be left out but, when sent, must be valid. Unlike @IsOptional(), which also
 * skips null, null is validated (and so refused): use it where the column cannot hold null.
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** A real calendar date written YYYY-MM-DD (rejects 2025-02-30, which a regex alone accepts). */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a real date written YYYY-MM-DD`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid,
      },
    });
}

/**
 * An email address. class-validator's isEmail measures parts with encodeURI, which throws on a lone
 * UTF-16 surrogate (JSON can carry one, "\ud800"): that was a 500 instead of a 400. A string with
 * one is no address, so it is refused before isEmail sees it.
 */
export function IsEmailAddress(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isEmailAddress',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an email address`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && !/\p{Surrogate}/u.test(value) && isEmail(value) },
    });
}

/** An IANA time zone name such as Europe/Berlin or America/New_York. */
export function IsTimeZone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as Europe/Berlin or America/New_York`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.length <= 64 && IANAZone.isValidZone(value) },
    });
}

/** A local wall-clock time written HH:MM (24-hour). */
export function IsLocalTime(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isLocalTime',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a time written HH:MM (00:00 to 23:59)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value) },
    });
}
