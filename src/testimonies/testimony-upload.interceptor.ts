import {
  BadRequestException, CallHandler, ExecutionContext, HttpException, HttpStatus, Inject, Injectable, NestInterceptor, PayloadTooLargeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { catchError, finalize, from, mergeMap, type Observable, throwError } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { WorkQueue } from '../common/work-queue';
import { IntakeSettingsService } from './intake-settings.service';
import { TestimonyFileStore } from './testimony-file-store';
import { TestimonyKeys } from './testimony-keys';
import { TestimonyUploadStorage } from './testimony-upload-storage';

/** A wait longer than this ends in 503: a person's browser has likely given up by then. */
const WAIT_MS = 30_000;

/**
 * The turns of intake uploads, one queue per application: Nest makes an interceptor named in
 * @UseInterceptors once per module that uses it, and the API and the intake form (web/testify)
 * must wait in the same queue.
 */
@Injectable()
export class IntakeUploadQueue {
  readonly turns: WorkQueue;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { uploadConcurrency, uploadQueueMax } = config.testimony;
    this.turns = new WorkQueue({
      name: 'testimonies with files', doing: 'being received',
      settings: `INTAKE_UPLOAD_CONCURRENCY=${uploadConcurrency}, INTAKE_UPLOAD_QUEUE_MAX=${uploadQueueMax}`,
      concurrency: uploadConcurrency, maxQueued: uploadQueueMax, maxWaitMs: WAIT_MS, expectedTurnMs: 2000,
      hint: 'nothing was received from this request',
    });
  }
}

/**
 * Reads the files of a multipart intake request (field "files"), in place of FilesInterceptor:
 * a closed intake answers 404 before a byte of the body is read; then a turn among
 * INTAKE_UPLOAD_CONCURRENCY (503 with Retry-After past INTAKE_UPLOAD_QUEUE_MAX waiting), held
 * until the answer; each file streams in sealed (testimony-upload-storage.ts), so memory does not
 * grow with file sizes. Files the request did not commit (any error, the hidden field filled) are
 * deleted before an error is answered, and after a success. Runs after IntakeThrottleGuard.
 */
@Injectable()
export class TestimonyUploadInterceptor implements NestInterceptor {
  private readonly turns: WorkQueue;
  private readonly storage: TestimonyUploadStorage;
  private readonly readFiles: (request: Request, response: Response, next: (error?: unknown) => void) => void;
  private readonly fileMaxMb: number;
  private readonly maxFiles: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    keys: TestimonyKeys,
    files: TestimonyFileStore,
    private readonly settings: IntakeSettingsService,
    queue: IntakeUploadQueue,
  ) {
    const { fileMaxBytes, maxFiles } = config.testimony;
    this.fileMaxMb = Math.round(fileMaxBytes / 1024 / 1024);
    this.maxFiles = maxFiles;
    this.turns = queue.turns;
    this.storage = new TestimonyUploadStorage(keys, files);
    this.readFiles = multer({
      storage: this.storage,
      limits: { fileSize: fileMaxBytes, files: maxFiles, fields: 20 },
      defParamCharset: 'utf8',
    }).array('files', maxFiles);
  }

  /** Intake uploads being received and waiting (tests). */
  get load(): { running: number; waiting: number } {
    return this.turns.stats;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!request.is('multipart/form-data')) return next.handle();
    await this.settings.openIntake(String(request.params.slug ?? ''));
    const release = await this.turns.acquire();
    try {
      await new Promise<void>((resolve, reject) => this.readFiles(request, response, (error) => (error ? reject(error) : resolve())));
    } catch (error) {
      release();
      await this.storage.discard(request);
      throw this.uploadError(error);
    }
    return next.handle().pipe(
      catchError((error: unknown) => from(this.storage.discard(request)).pipe(mergeMap(() => throwError(() => error)))),
      finalize(() => {
        release();
        // After a success only what was not committed is still there (the hidden field's files).
        void this.storage.discard(request).catch(() => undefined);
      }),
    );
  }

  private uploadError(error: unknown): unknown {
    if (error instanceof HttpException || !(error instanceof MulterError)) return error;
    if (error.code === 'LIMIT_FILE_SIZE') {
      return new PayloadTooLargeException({
        statusCode: HttpStatus.PAYLOAD_TOO_LARGE, error: 'Payload Too Large',
        message: `files: a file is larger than ${this.fileMaxMb} MB (INTAKE_FILE_MAX_MB); nothing was received from this request`,
      });
    }
    if (error.code === 'LIMIT_FILE_COUNT' || error.code === 'LIMIT_UNEXPECTED_FILE') {
      return new BadRequestException({
        statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request',
        message: `files: at most ${this.maxFiles} files, all in the multipart field "files"; nothing was received from this request`,
      });
    }
    return new BadRequestException({ statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message: `The multipart body was refused: ${error.message}` });
  }
}
