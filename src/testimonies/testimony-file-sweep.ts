import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { TestimoniesRepository } from './testimonies.repository';
import { TestimonyFileStore } from './testimony-file-store';

/**
 * An upload's temporary file older than this is not in flight any more: an intake request is
 * bounded well under it (upload timeouts, INTAKE_UPLOAD_QUEUE_MAX), even on a slow link.
 */
export const LEFTOVER_AFTER_MS = 60 * 60_000;

/**
 * At each start, puts right what a crash left among the testimony files (TestimonyFileStore.sweep):
 * a withdrawn testimony's file still on disk is deleted, a committed one still under its temporary
 * name is put in place. Logs counts only, never a name.
 */
@Injectable()
export class TestimonyFileSweep implements OnApplicationBootstrap {
  private readonly logger = new Logger('TestimonyFiles');

  constructor(
    private readonly files: TestimonyFileStore,
    private readonly testimonies: TestimoniesRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { restored, deleted } = await this.sweep();
    if (restored + deleted > 0) this.logger.log(`after an interrupted run: ${restored} testimony file(s) put in place, ${deleted} left-over file(s) deleted`);
  }

  /**
   * The age is the file system's, against the real time (a file's mtime is not the application's
   * clock, which tests move).
   */
  sweep(): Promise<{ restored: number; deleted: number; spared: number }> {
    return this.files.sweep(() => this.testimonies.allFileNames(), new Date(Date.now() - LEFTOVER_AFTER_MS));
  }
}
