import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** The largest id an integer column holds (PostgreSQL's integer is 32-bit). */
const MAX_ID = 2147483647;

/** Parses a numeric id from the path, naming the parameter when it is not one. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const id = Number(value);
    if (!/^\d{1,10}$/.test(value) || id < 1 || id > MAX_ID) {
      const field = metadata.data ?? 'id';
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${field} must be a positive whole number (at most ${MAX_ID})`,
        details: [{ field, problem: `"${String(value).slice(0, 40)}" is not a positive whole number (at most ${MAX_ID})` }],
      });
    }
    return id;
  }
}
