import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createReadStream, ReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { sha256OfFile } from '../common/file-hash';

/**
 * Evidence files on disk, named by their SHA-256 (never by the client's file name, so no upload can
 * choose where it lands). Writes go to a temporary name first and are renamed into place, so a
 * crash never leaves a half-written file under a real name.
 */
@Injectable()
export class FileStorage {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = config.storage.evidenceDir;
  }

  /**
   * Stores an uploaded file (a temporary file of its own, which this takes over): it is read once
   * to name it, then moved into place, never held in memory whole.
   */
  async storeUpload(path: string): Promise<{ sha256: string; sizeBytes: number }> {
    const { sha256, sizeBytes } = await sha256OfFile(path);
    await mkdir(this.dir, { recursive: true });
    const target = this.pathOf(sha256);
    if (await exists(target)) {
      // Kept until the response ends (app.setup.ts deletes it then): if the stored copy is removed
      // with its last other holder meanwhile, restoreIfGone puts this one in its place.
    } else {
      // Moved to a temporary name beside the target, then renamed, so the target never exists
      // half-written; copied when the uploads folder is on another file system.
      const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await rename(path, temporary).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') throw error;
        await copyFile(path, temporary);
        await unlink(path).catch(() => undefined);
      });
      await chmod(temporary, 0o600);
      await rename(temporary, target);
    }
    return { sha256, sizeBytes };
  }

  /**
   * After an upload's row is committed: if the file was removed meanwhile (its last other holder
   * removed, see removeUnreferenced), the upload, still on disk, is stored again.
   */
  async restoreIfGone(sha256: string, uploadPath: string): Promise<void> {
    if (!(await exists(this.pathOf(sha256))) && (await exists(uploadPath))) await this.storeUpload(uploadPath);
  }

  /**
   * Deletes a file once nothing refers to it. Moved aside first, then asked again: an upload of the
   * same content committed before the second question keeps it (moved back); one committed after
   * it finds the file gone and restores its own copy (restoreIfGone). Either way no row is left
   * without its file.
   */
  async removeUnreferenced(sha256: string, isReferenced: () => Promise<boolean>): Promise<void> {
    if (await isReferenced()) return;
    const target = this.pathOf(sha256);
    const aside = `${target}.${randomBytes(6).toString('hex')}.removing`;
    try {
      await rename(target, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (await isReferenced()) await rename(aside, target);
    else await unlink(aside);
  }

  open(sha256: string): ReadStream {
    return createReadStream(this.pathOf(sha256));
  }

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256');
    return join(this.dir, sha256);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
