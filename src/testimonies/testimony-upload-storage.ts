import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import type { Readable } from 'node:stream';
import { detectAllowedType } from './testimony-file-types';
import type { TestimonyFileStore } from './testimony-file-store';
import type { DataKey, TestimonyKeys } from './testimony-keys';

/** A file of a multipart intake request, as the storage engine left it: sealed in `<storageName>.tmp`. */
export interface IntakeUpload {
  storageName: string;
  /** As read from the content (file-type), never as the sender named it. */
  mimeType: string;
  size: number;
  /** The request's key, which sealed the file: the new testimony's data key on submit. */
  dataKey: DataKey;
}

/** Enough of the start for file-type to recognise every allowed type. */
const SAMPLE_BYTES = 64 * 1024;
/** An MP3's ID3 tag comes before the audio file-type needs to see: read past a tag up to this size. */
const ID3_MAX_BYTES = 1024 * 1024;

interface RequestUploads {
  dataKey: DataKey;
  received: number;
  names: string[];
}

/**
 * multer's storage for the intake: each file part is typed from its first bytes (refused before
 * anything is written) and streamed through AES-256-GCM into a temporary file. One key per request,
 * made when its first file arrives and shared by its files. Whatever was received and not committed
 * is deleted by `discard` (the upload interceptor calls it when the request fails or is over).
 */
export class TestimonyUploadStorage implements StorageEngine {
  private readonly requests = new WeakMap<Request, RequestUploads>();

  constructor(private readonly keys: TestimonyKeys, private readonly files: TestimonyFileStore) {}

  _handleFile(request: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File> & Partial<IntakeUpload>) => void): void {
    let uploads = this.requests.get(request);
    if (!uploads) {
      try {
        uploads = { dataKey: this.keys.newDataKey(), received: 0, names: [] };
      } catch (error) {
        return callback(error);
      }
      this.requests.set(request, uploads);
    }
    const position = uploads.received++;
    const name = this.files.newName();
    uploads.names.push(name);
    const dataKey = uploads.dataKey;
    this.receive(file.stream, position, dataKey, name).then(
      ({ mimeType, size }) => callback(null, { storageName: name, mimeType, size, dataKey }),
      (error: unknown) => callback(error),
    );
  }

  _removeFile(_request: Request, file: Express.Multer.File & Partial<IntakeUpload>, callback: (error: Error | null) => void): void {
    if (!file.storageName) return callback(null);
    this.files.discard([file.storageName]).then(() => callback(null), callback);
  }

  /** Deletes every file of the request still under its temporary name (committed ones are not). */
  async discard(request: Request): Promise<void> {
    const uploads = this.requests.get(request);
    if (uploads) await this.files.discard(uploads.names);
  }

  private async receive(stream: Readable, position: number, dataKey: DataKey, name: string): Promise<{ mimeType: string; size: number }> {
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let head = await readHead(chunks, Buffer.alloc(0), SAMPLE_BYTES);
    if (head.subarray(0, 3).toString('latin1') === 'ID3' && head.length >= 10) {
      // The tag's size is a "syncsafe" integer: seven bits a byte.
      const tagBytes = 10 + ((head[6] & 0x7f) << 21 | (head[7] & 0x7f) << 14 | (head[8] & 0x7f) << 7 | (head[9] & 0x7f));
      head = await readHead(chunks, head, Math.min(tagBytes, ID3_MAX_BYTES) + SAMPLE_BYTES);
    }
    let mimeType: string;
    try {
      mimeType = await detectAllowedType(head, position);
    } catch (error) {
      // The rest of the part is read and dropped, so that multer goes on to answer the error.
      stream.resume();
      throw error;
    }
    const rest = { [Symbol.asyncIterator]: () => chunks };
    const size = await this.files.receive(dataKey.key, name, head, rest);
    return { mimeType, size };
  }
}

async function readHead(chunks: AsyncIterator<Buffer>, start: Buffer, bytes: number): Promise<Buffer> {
  const parts = [start];
  let length = start.length;
  while (length < bytes) {
    const next = await chunks.next();
    if (next.done) break;
    parts.push(next.value);
    length += next.value.length;
  }
  return Buffer.concat(parts);
}
