import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { seal, unseal } from './testimony-cipher';

/**
 * Testimony files on disk, each encrypted with its testimony's data key under a random name in
 * DATA_DIR/testimonies: never in the evidence store, whose files are in clear and named by the
 * hash of their content (which would tell whoever holds a copy of a file that it was submitted).
 * The plaintext is never written to disk: uploads are read into memory (testimonies.module.ts).
 */
@Injectable()
export class TestimonyFileStore {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = join(config.storage.dataDir, 'testimonies');
  }

  /** Encrypts and writes the content; the storage name to keep in the row. */
  async store(dataKey: Buffer, content: Buffer): Promise<string> {
    const name = randomBytes(24).toString('hex');
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // Written under a temporary name and renamed, so a crash never leaves a half-written file under a real name.
    const temporary = join(this.dir, `${name}.tmp`);
    await writeFile(temporary, seal(dataKey, content, contextOf(name)), { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.pathOf(name));
    return name;
  }

  async read(dataKey: Buffer, name: string): Promise<Buffer> {
    return unseal(dataKey, await readFile(this.pathOf(name)), contextOf(name));
  }

  /** Deletes the files; one already gone is fine. */
  async remove(names: string[]): Promise<void> {
    await Promise.all(names.map((name) => unlink(this.pathOf(name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    })));
  }

  private pathOf(name: string): string {
    if (!/^[0-9a-f]{48}$/.test(name)) throw new Error('not a testimony file name');
    return join(this.dir, name);
  }
}

const contextOf = (name: string) => `upr-testimony-file:${name}`;
