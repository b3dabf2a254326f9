import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Parses a numeric id from the path, naming the parameter when it is not one. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const id = Number(value);
    if (!/^\d{1,15}$/.test(value) || !Number.isSafeInteger(id) || id < 1) {
      const field = metadata.data ?? 'id';
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${field} must be a positive whole number`,
        details: [{ field, problem: `"${String(value).slice(0, 40)}" is not a positive whole number` }],
      });
    }
    return id;
  }
}
