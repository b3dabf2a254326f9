import { pipeline, Transform, type Readable } from 'node:stream';
import type { ParseProgress } from '../import-record';
import { ImportLimitError, megabytes } from '../import-limit';

/** The same bytes, reporting how many have gone through. */
export function countingBytes(input: Readable, onProgress?: ParseProgress): Readable {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Uint8Array, _encoding, done) {
      bytes += chunk.length;
      onProgress?.(bytes);
      done(null, chunk);
    },
  });
  // An error of the input reaches the reader through the counter; the callback only keeps pipeline quiet.
  pipeline(input, counter, () => undefined);
  return counter;
}

/**
 * The whole input in memory, for formats that cannot be read front to back (a ZIP's index is at its
 * end). A file larger than `maxBytes` is refused as soon as it is, not after it is all in memory.
 */
export async function readAllBytes(input: Readable, maxBytes: number, onProgress?: ParseProgress): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    const buffer = Buffer.from(chunk);
    chunks.push(buffer);
    bytes += buffer.length;
    if (bytes > maxBytes) {
      input.destroy();
      throw new ImportLimitError('IMPORT_MAX_UNZIPPED_MB', `the file is over the ${megabytes(maxBytes)} an import may unzip to`);
    }
    onProgress?.(bytes);
  }
  return Buffer.concat(chunks);
}
