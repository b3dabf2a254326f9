import { Inject, Injectable, InternalServerErrorException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipe, type Readable } from 'node:stream';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { HEADER_BYTES, openingStream, seal, sealingStream, unseal } from './testimony-cipher';

/** Where a stored file's row says which key sealed it. */
export interface SealedFileRef {
  storageName: string;
  /** Null: sealed with the testimony's data key; otherwise that file's key, sealed by the data key. */
  sealedKey: string | null;
}

/**
 * Testimony files on disk, each encrypted with AES-256-GCM under a random name in
 * DATA_DIR/testimonies: never in the evidence store, whose files are in clear and named by the
 * hash of their content (which would tell whoever holds a copy of a file that it was submitted).
 * A file is sealed as it streams in (`iv | tag | ciphertext`, the layout of testimony-cipher.ts
 * `seal`) into `<name>.tmp`: only encrypted bytes reach the disk, and memory holds a chunk at a
 * time. `commit` renames it into place once the request's transaction has committed; `discard`
 * deletes what was not.
 */
@Injectable()
export class TestimonyFileStore {
  private readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = join(config.storage.dataDir, 'testimonies');
  }

  newName(): string {
    return randomBytes(24).toString('hex');
  }

  /**
   * Seals `head` then the rest of the stream into `<name>.tmp`; the plaintext's size. On failure
   * the temporary file is deleted before the error goes on.
   */
  async receive(key: Buffer, name: string, head: Buffer, rest: AsyncIterable<Buffer>): Promise<number> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = this.temporaryPathOf(name);
    const sealing = sealingStream(key, contextOf(name));
    let size = 0;
    async function* sealed() {
      yield sealing.header;
      size += head.length;
      yield sealing.cipher.update(head);
      for await (const chunk of rest) {
        size += chunk.length;
        yield sealing.cipher.update(chunk);
      }
      yield sealing.cipher.final();
    }
    try {
      // 'wx': a name is random and new; mode 0600 from the first byte.
      await pipeline(sealed, createWriteStream(temporary, { flags: 'wx', mode: 0o600 }));
      const handle = await open(temporary, 'r+');
      try {
        await handle.write(sealing.tagged(sealing.header), 0, HEADER_BYTES, 0);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return size;
    } catch (error) {
      await this.discard([name]);
      throw error;
    }
  }

  /** Renames received files into place (after their rows committed). */
  async commit(names: string[]): Promise<void> {
    for (const name of names) await rename(this.temporaryPathOf(name), this.pathOf(name));
  }

  /** Deletes received files not committed; one already gone (or committed) is fine. */
  async discard(names: string[]): Promise<void> {
    await Promise.all(names.map((name) => unlinkIfThere(this.temporaryPathOf(name))));
  }

  /** A file's own key, when it has one, is sealed by the data key: the data key alone opens every file. */
  sealFileKey(dataKey: Buffer, fileKey: Buffer, name: string): string {
    return seal(dataKey, fileKey, keyContextOf(name)).toString('base64');
  }

  /**
   * The file's content as a stream, and its size, once its whole content has been authenticated.
   * GCM checks the tag only after the last byte, and a stream sent as it is decrypted would hand
   * over altered bytes before the check fails. So the file is read twice through one open
   * descriptor: a first pass verifies the tag (discarding the output; constant memory, no plaintext
   * on disk), the second decrypts to the client. A file altered between the two passes (someone
   * writing to the store during a download) fails the second pass's check, which destroys the
   * response: the client sees an aborted download shorter than its Content-Length, never a complete
   * altered one.
   */
  async openVerified(dataKey: Buffer, file: SealedFileRef): Promise<{ stream: Readable; size: number }> {
    const key = file.sealedKey ? unseal(dataKey, Buffer.from(file.sealedKey, 'base64'), keyContextOf(file.storageName)) : dataKey;
    const handle = await open(this.pathOf(file.storageName), 'r');
    try {
      const { size } = await handle.stat();
      const header = Buffer.alloc(HEADER_BYTES);
      if (size < HEADER_BYTES || (await handle.read(header, 0, HEADER_BYTES, 0)).bytesRead < HEADER_BYTES) throw altered(file.storageName);
      const check = openingStream(key, header, contextOf(file.storageName));
      for await (const chunk of handle.createReadStream({ start: HEADER_BYTES, autoClose: false, highWaterMark: 64 * 1024 })) check.update(chunk as Buffer);
      try {
        check.final();
      } catch {
        throw altered(file.storageName);
      }
      const decipher = openingStream(key, header, contextOf(file.storageName));
      // pipeline: an error on either side, or the client going away, destroys both and closes the file.
      pipe(handle.createReadStream({ start: HEADER_BYTES, highWaterMark: 64 * 1024 }), decipher, () => undefined);
      return { stream: decipher, size: size - HEADER_BYTES };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /** Deletes stored files; one already gone is fine. */
  async remove(names: string[]): Promise<void> {
    await Promise.all(names.map((name) => unlinkIfThere(this.pathOf(name))));
  }

  /**
   * What a crash left in the folder: `<name>.tmp` files (sealed, never committed, or committed but
   * not yet renamed) and files no row names any more (a withdrawal whose deletion did not happen).
   * Each is sealed, but a withdrawn testimony's file must not stay on disk, and a committed one must
   * be readable. `storedNames` gives the names that have a row, read after the folder is listed (a
   * file renamed into place before the listing had its row committed before the reading);
   * `olderThan` spares what a request of this or another instance (sharing DATA_DIR) may be writing.
   */
  async sweep(storedNames: () => Promise<Set<string>>, olderThan: Date): Promise<{ restored: number; deleted: number; spared: number }> {
    const counts = { restored: 0, deleted: 0, spared: 0 };
    const entries = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    if (entries.length === 0) return counts;
    const names = new Set(entries);
    const stored = await storedNames();
    for (const entry of entries) {
      const match = /^([0-9a-f]{48})(\.tmp)?$/.exec(entry);
      if (!match) continue;
      const [, name, temporary] = match;
      const path = join(this.dir, entry);
      if (temporary) {
        const modified = await stat(path).then((info) => info.mtime, () => null);
        if (!modified) continue;
        if (modified > olderThan) {
          counts.spared += 1;
        } else if (stored.has(name) && !names.has(name)) {
          // Its row committed, and the process stopped before the rename that follows the commit.
          await rename(path, this.pathOf(name));
          counts.restored += 1;
        } else {
          await unlinkIfThere(path);
          counts.deleted += 1;
        }
      } else if (!stored.has(name)) {
        // A stored file exists only after its row committed: without a row, its testimony was withdrawn.
        await unlinkIfThere(path);
        counts.deleted += 1;
      }
    }
    return counts;
  }

  private pathOf(name: string): string {
    if (!/^[0-9a-f]{48}$/.test(name)) throw new Error('not a testimony file name');
    return join(this.dir, name);
  }

  private temporaryPathOf(name: string): string {
    return `${this.pathOf(name)}.tmp`;
  }
}

const contextOf = (name: string) => `upr-testimony-file:${name}`;
const keyContextOf = (name: string) => `upr-testimony-file-key:${name}`;

async function unlinkIfThere(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

// The content is never logged or shown: only that the stored file does not authenticate.
function altered(name: string): InternalServerErrorException {
  return new InternalServerErrorException({
    statusCode: 500, error: 'Internal Server Error',
    message: `Testimony file ${name.slice(0, 8)}… failed its integrity check (altered on disk, or sealed with another key): nothing of it was sent. Restore it from a backup.`,
  });
}
