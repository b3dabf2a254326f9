import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../../config/app.config';
import { uploadOptions, type UploadedFileOnDisk } from '../../common/upload-options';

/** The uploaded import file, in a temporary file (common/upload-options.ts). */
export type UploadedImportFile = UploadedFileOnDisk;

/**
 * Reads the multipart field "file" with the same limits as the API's import (UPLOAD_MAX_MB, one
 * file): the web module has no multer options of its own, and a page must not accept more than
 * the API does. A larger file is 413, shown as an error page.
 */
@Injectable()
export class ImportUploadInterceptor implements NestInterceptor {
  private readonly inner: NestInterceptor;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const Multer = FileInterceptor('file', uploadOptions(config.storage));
    this.inner = new Multer();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> | Promise<Observable<unknown>> {
    return this.inner.intercept(context, next);
  }
}
