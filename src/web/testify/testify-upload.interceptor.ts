import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { TestimonyUploadInterceptor } from '../../testimonies/testimony-upload.interceptor';

/**
 * The API's upload interceptor, the same instance (its queue of uploads is shared by the API and the
 * form): an interceptor named in @UseInterceptors would be a new instance of this module.
 */
@Injectable()
export class TestifyUploadInterceptor implements NestInterceptor {
  constructor(private readonly uploads: TestimonyUploadInterceptor) {}

  intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return this.uploads.intercept(context, next);
  }
}
