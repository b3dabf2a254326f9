import { Transform, type Readable, type TransformCallback } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ImportLimits } from '../../../config/imports.config';
import { ImportLimitError, megabytes } from '../import-limit';

/** Below this unzipped size an entry's ratio is not checked: small parts of real files pack very tightly. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** The largest data descriptor a ZIP writer puts after an entry (ZIP64, with its signature). */
const MAX_DESCRIPTOR_BYTES = 24;

/**
 * A ZIP file (DOCX, XLSX) checked before anything is inflated, and inflated under a budget.
 *
 * Before: the entry count, each entry's declared size and ratio, the sum of declared sizes, and that
 * the entries tile the file with nothing hidden between them (a streaming reader reads local headers
 * one after another, so an entry missing from the central directory would be inflated by it and
 * never checked here). While inflating: yauzl stops an entry that inflates to
 * more than it declared, and the running total of every entry read is held to the same budget.
 */
export class ZipArchive {
  private inflated = 0;

  private constructor(
    private readonly zip: ZipFile,
    private readonly entries: Map<string, Entry>,
    private readonly limits: ImportLimits,
  ) {}

  /** `kind` names the file in messages: ".docx file", ".xlsx file". */
  static async open(file: Buffer, limits: ImportLimits, kind = 'ZIP file'): Promise<ZipArchive> {
    if (file.length > limits.maxUnzippedBytes) {
      throw new ImportLimitError('IMPORT_MAX_UNZIPPED_MB', `the file is ${megabytes(file.length)}, over the ${megabytes(limits.maxUnzippedBytes)} an import may unzip to`);
    }
    const zip = await yauzl.fromBufferPromise(file, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true })
      .catch((error: Error) => {
        throw new Error(`not a readable ${kind} (${error.message})`);
      });
    if (zip.entryCount > limits.maxZipEntries) {
      throw new ImportLimitError('IMPORT_MAX_ZIP_ENTRIES', `the file holds ${zip.entryCount} ZIP entries, over the ${limits.maxZipEntries} allowed`);
    }
    // yauzl keeps where the central directory starts as the cursor of its first readEntry().
    const centralDirectoryOffset = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
    const entries = new Map<string, Entry>();
    let declared = 0;
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      if (entries.has(entry.fileName)) throw new Error(`the ZIP file names ${entry.fileName} twice`);
      declared += entry.uncompressedSize;
      if (declared > limits.maxUnzippedBytes) {
        throw new ImportLimitError('IMPORT_MAX_UNZIPPED_MB', `the file declares more than ${megabytes(limits.maxUnzippedBytes)} once unzipped (at ${entry.fileName})`);
      }
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > limits.maxZipRatio * Math.max(1, entry.compressedSize)) {
        const ratio = Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize));
        throw new ImportLimitError('IMPORT_MAX_ZIP_RATIO', `${entry.fileName} unzips ${ratio} times larger than it is packed, over the ${limits.maxZipRatio} allowed`);
      }
      entries.set(entry.fileName, entry);
    }
    await assertTiled(zip, [...entries.values()], centralDirectoryOffset);
    return new ZipArchive(zip, entries, limits);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** An entry's size once inflated, as the directory declares it (inflating past it fails). */
  size(name: string): number {
    return this.entries.get(name)?.uncompressedSize ?? 0;
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** One entry's inflated bytes; fails with the limit it hit when it inflates past its size or the budget. */
  async stream(name: string): Promise<Readable> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`the ZIP file has no ${name}`);
    const inflating = await this.zip.openReadStreamPromise(entry);
    const budget = new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) => {
        this.inflated += chunk.length;
        if (this.inflated > this.limits.maxUnzippedBytes) {
          done(new ImportLimitError('IMPORT_MAX_UNZIPPED_MB', `${name} unzips to more than the ${megabytes(this.limits.maxUnzippedBytes)} allowed`));
        } else done(null, chunk);
      },
    });
    inflating.on('error', (error: Error) => budget.destroy(/bytes in the stream/.test(error.message)
      ? new ImportLimitError('IMPORT_MAX_UNZIPPED_MB', `${name} does not unzip to the size it declares (${error.message})`)
      : new Error(`${name} cannot be unzipped (${error.message})`)));
    return inflating.pipe(budget);
  }

  /** The whole entry as text: only for small parts (relationships, workbook), whose size was checked on open. */
  async text(name: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(name)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  close(): void {
    this.zip.close();
  }
}

function nextEntry(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: Entry) => {
      zip.off('end', onEnd).off('error', onError);
      resolve(entry);
    };
    const onEnd = () => {
      zip.off('entry', onEntry).off('error', onError);
      resolve(undefined);
    };
    const onError = (error: Error) => {
      zip.off('entry', onEntry).off('end', onEnd);
      reject(new Error(`not a readable ZIP file (${error.message})`));
    };
    zip.once('entry', onEntry).once('end', onEnd).once('error', onError);
    zip.readEntry();
  });
}

/** The entries follow each other from the first byte to the central directory, with at most a data descriptor between. */
async function assertTiled(zip: ZipFile, entries: Entry[], centralDirectoryOffset: number): Promise<void> {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  let expected = 0;
  for (const entry of sorted) {
    const gap = entry.relativeOffsetOfLocalHeader - expected;
    if (gap < 0 || gap > (expected === 0 ? 0 : MAX_DESCRIPTOR_BYTES)) {
      throw new Error(`the ZIP file has bytes no entry accounts for before ${entry.fileName}: it may hide an entry`);
    }
    const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
    expected = fileDataStart + entry.compressedSize;
  }
  const tail = centralDirectoryOffset - expected;
  if (!Number.isFinite(centralDirectoryOffset) || tail < 0 || tail > (sorted.length === 0 ? 0 : MAX_DESCRIPTOR_BYTES)) {
    throw new Error('the ZIP file has bytes no entry accounts for before its directory: it may hide an entry');
  }
}
