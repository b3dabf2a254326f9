import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem } from './errors';

/** Flattens class-validator's tree into one entry per offending field, with a dotted path. */
export function toFieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const allowed = (error.contexts && Object.values(error.contexts).find((c) => c?.allowed)?.allowed) as string[] | undefined;
      problems.push({ field, problem: Object.values(error.constraints).join('; '), ...(allowed ? { allowed } : {}) });
    }
    if (error.children?.length) problems.push(...toFieldProblems(error.children, field));
  }
  return problems;
}

/**
 * Leaves path parameters as sent. The stock pipe turns a `number` parameter into `+value` before
 * IdPipe sees it, so "1e3", "0x10" or " 7" would arrive as 1000, 16 or 7 and pass as valid ids.
 */
class AppValidationPipe extends ValidationPipe {
  protected transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result = await super.transform(value, metadata);
    // Custom decorators (@Auth(), @Web(), uploaded files) carry the server's own objects, not input;
    // path parameters are ids (IdPipe bounds them) or tokens that are checked, never stored.
    if (metadata.type === 'custom' || metadata.type === 'param') return result;
    const problem = storableProblem(result, metadata.data ?? '');
    if (problem) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `Invalid request: ${problem.field}`, details: [problem] });
    return result;
  }
}

/** Whole numbers the database's integer columns hold (PostgreSQL's integer is 32-bit). */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * What no column can store, whatever the field: PostgreSQL refuses the NUL character in text, and
 * class-validator's @IsInt() lets 1e308 through (it is a whole number) where an integer column
 * refuses it. Checked once here for every body, query and parameter, so the answer is a 400 naming
 * the field, not a database error.
 */
function storableProblem(value: unknown, field: string, depth = 0): FieldProblem | null {
  if (typeof value === 'string') return value.includes('\u0000') ? { field: field || 'body', problem: 'must not contain the NUL character (\\u0000)' } : null;
  if (typeof value === 'number') {
    return Number.isInteger(value) && (value < INT_MIN || value > INT_MAX) ? { field: field || 'body', problem: `must be between ${INT_MIN} and ${INT_MAX}` } : null;
  }
  if (value === null || typeof value !== 'object' || depth > 20 || Buffer.isBuffer(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    const problem = storableProblem(inner, field ? `${field}.${key}` : key, depth + 1);
    if (problem) return problem;
  }
  return null;
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // One problem per field is clearer than every rule a missing value breaks.
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const details = toFieldProblems(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `Invalid request: ${details.map((d) => d.field).join(', ')}`,
        details,
      });
    },
  });
}
