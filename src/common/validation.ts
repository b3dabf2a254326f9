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
