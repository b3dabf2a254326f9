import { HttpException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { toFieldProblems } from '../common/validation';

/** An error the command line prints as it is and exits with status 1. */
export class CliError extends Error {}

/** Validates command-line input with the same DTO the API uses, naming each bad option. */
export function validateInput<T extends object>(cls: new () => T, input: Record<string, unknown>, optionOf: (field: string) => string): T {
  const instance = plainToInstance(cls, input);
  const problems = toFieldProblems(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }));
  if (problems.length > 0) {
    throw new CliError(problems.map((p) => `${optionOf(p.field)}: ${p.problem}`).join('\n'));
  }
  return instance;
}

/** The message a person should read, whether the error came from a service (HttpException) or the CLI. */
export function describeError(error: unknown): string {
  if (error instanceof HttpException) {
    const body = error.getResponse() as { message?: unknown };
    return typeof body === 'string' ? body : String(body.message ?? error.message);
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
