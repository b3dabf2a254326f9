import { IsOptional, Validate, ValidatorConstraint, type ValidatorConstraintInterface, type ValidationArguments } from 'class-validator';
import { WholeNumber } from './validate-section';

const KEY_BYTES = 32;

/** The key's bytes when `value` is base64 of exactly 32 bytes; null otherwise. */
export function decodeTestimonyKey(value: string): Buffer | null {
  const text = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === KEY_BYTES ? bytes : null;
}

@ValidatorConstraint({ name: 'testimonyKey' })
class IsTestimonyKey implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && decodeTestimonyKey(value) !== null;
  }

  // Says how long the value is, never the value: it is a secret.
  defaultMessage(args: ValidationArguments): string {
    const text = typeof args.value === 'string' ? args.value.trim() : '';
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? `it decodes to ${Buffer.from(text, 'base64').length} bytes` : 'it is not base64';
    return `${args.property} must be 32 random bytes, base64-encoded (44 characters; make one with: openssl rand -base64 32); ${decoded}`;
  }
}

/**
 * People's UPR intake (issue 13). TESTIMONY_KEY wraps every testimony's own data key (envelope
 * encryption, docs/testimony.md); it may be left out until a coalition enables intake, and enabling
 * then fails saying so. TESTIMONY_KEY_PREVIOUS is read only by `intake rotate-key`.
 */
export class TestimonyEnvironment {
  @IsOptional()
  @Validate(IsTestimonyKey)
  TESTIMONY_KEY?: string;

  @IsOptional()
  @Validate(IsTestimonyKey)
  TESTIMONY_KEY_PREVIOUS?: string;

  @WholeNumber(1, 10_000, 'INTAKE_PER_ADDRESS_PER_HOUR must be a whole number (1 to 10000)')
  INTAKE_PER_ADDRESS_PER_HOUR = 20;

  @WholeNumber(1, 100_000, 'INTAKE_PER_COALITION_PER_HOUR must be a whole number (1 to 100000)')
  INTAKE_PER_COALITION_PER_HOUR = 500;

  @WholeNumber(1, 100, 'INTAKE_FILE_MAX_MB must be a whole number of megabytes (1 to 100)')
  INTAKE_FILE_MAX_MB = 10;

  @WholeNumber(1, 64, 'INTAKE_UPLOAD_CONCURRENCY must be a whole number (1 to 64)')
  INTAKE_UPLOAD_CONCURRENCY = 4;

  @WholeNumber(0, 1_000, 'INTAKE_UPLOAD_QUEUE_MAX must be a whole number (0 to 1000)')
  INTAKE_UPLOAD_QUEUE_MAX = 16;
}

export interface TestimonyConfig {
  /** Wraps the data keys; null while no coalition may take testimony. */
  key: Buffer | null;
  /** The key being replaced, for `intake rotate-key` only. */
  previousKey: Buffer | null;
  /** Requests to the public intake routes one address may make per hour (all coalitions together). */
  perAddressPerHour: number;
  /** Requests to one coalition's intake per hour (all addresses together). */
  perCoalitionPerHour: number;
  fileMaxBytes: number;
  /** At most this many files per request. */
  maxFiles: number;
  /** Multipart intake requests received at once (each streams its files to disk, sealed). */
  uploadConcurrency: number;
  /** Multipart intake requests waiting for a turn; one more is answered 503 with Retry-After. */
  uploadQueueMax: number;
}

export function toTestimonyConfig(env: TestimonyEnvironment): TestimonyConfig {
  return {
    key: env.TESTIMONY_KEY ? decodeTestimonyKey(env.TESTIMONY_KEY) : null,
    previousKey: env.TESTIMONY_KEY_PREVIOUS ? decodeTestimonyKey(env.TESTIMONY_KEY_PREVIOUS) : null,
    perAddressPerHour: env.INTAKE_PER_ADDRESS_PER_HOUR,
    perCoalitionPerHour: env.INTAKE_PER_COALITION_PER_HOUR,
    fileMaxBytes: env.INTAKE_FILE_MAX_MB * 1024 * 1024,
    maxFiles: 5,
    uploadConcurrency: env.INTAKE_UPLOAD_CONCURRENCY,
    uploadQueueMax: env.INTAKE_UPLOAD_QUEUE_MAX,
  };
}
