import { ConflictException, HttpStatus, NotFoundException } from '@nestjs/common';

/** One offending field, as shown to the person who sent it. */
export interface FieldProblem {
  field: string;
  problem: string;
  allowed?: string[];
}

/** The body of every error answer: `{ statusCode, error, message, details }`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

export function notFound(what: string, id: string | number): NotFoundException {
  return new NotFoundException({
    statusCode: HttpStatus.NOT_FOUND,
    error: 'Not Found',
    message: `${what} ${id} was not found`,
  });
}

export function conflict(message: string, details?: Record<string, unknown>): ConflictException {
  return new ConflictException({ statusCode: HttpStatus.CONFLICT, error: 'Conflict', message, details });
}
