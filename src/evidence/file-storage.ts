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
      await unlink(path).catch(() => undefined);
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

  /** Deletes a file no evidence refers to any more; a file already gone is not an error. */
  async remove(sha256: string): Promise<void> {
    await unlink(this.pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
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
