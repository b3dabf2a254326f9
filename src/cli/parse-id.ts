import { CliError } from './cli-error';

/** A positive whole number from the command line, or an error naming the option and what it should be. */
export function parseId(value: string, option: string, what = 'cycle'): number {
  const id = Number(value);
  if (!/^\d{1,15}$/.test(value) || !Number.isSafeInteger(id) || id < 1) throw new CliError(`${option}: must be a ${what} id (a positive whole number), not "${value}"`);
  return id;
}
