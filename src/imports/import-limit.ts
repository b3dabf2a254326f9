/**
 * A file that goes past one of the import limits (config/imports.config.ts). The message says
 * what was too big and names the variable that sets the limit; the import answers 400 with it.
 */
export class ImportLimitError extends Error {
  constructor(
    /** The environment variable that sets the limit, e.g. IMPORT_MAX_UNZIPPED_MB. */
    readonly limit: string,
    message: string,
  ) {
    super(`${message} (limit ${limit})`);
  }
}

/** A value from the file, for a message: at most `max` characters, so a message never echoes a huge cell. */
export function shortened(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** A value from the file, shortened and in quotes. */
export function quoted(value: string, max = 80): string {
  return `"${shortened(value, max)}"`;
}

/** Megabytes for a message, e.g. "100 MB". */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
