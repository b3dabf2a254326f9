import 'reflect-metadata';
import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, Max, Min, validateSync, ValidationError } from 'class-validator';

/** Environment values are text: a whole number becomes a number; anything else stays as written and fails validation. */
export const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

/** A whole-number variable between `min` and `max`; `message` (naming the variable) for any value outside. */
export function WholeNumber(min: number, max: number, message: string): PropertyDecorator {
  return applyDecorators(Transform(toInteger), IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

/** Thrown at boot when an environment variable is missing or malformed; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Validates one section of the environment. The class's property names are the environment
 * variable names, so every message names the variable a person has to fix.
 */
export function validateSection<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv): T {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(new cls())) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const instance = Object.assign(new cls(), plainToInstance(cls, raw, { enableImplicitConversion: true }));
  const errors = validateSync(instance, { skipMissingProperties: false });
  if (errors.length > 0) throw new ConfigError(errors.map(describe));
  return instance;
}

/** Variables whose value is a secret: a bad one is named, never shown (a boot log is read by many). */
const SECRET = /(^|_)KEY(_PREVIOUS)?$/;

function describe(error: ValidationError): string {
  const reasons = Object.values(error.constraints ?? {}).join('; ');
  return `${error.property}${SECRET.test(error.property) ? '' : `=${JSON.stringify(error.value)}`}: ${reasons}`;
}
