import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { StringDecoder } from 'node:string_decoder';
import type { ImportLimits } from '../../../config/imports.config';
import { ImportLimitError } from '../import-limit';
import type { ZipArchive } from './zip-archive';

/** What a reader of one XML part does with its tags; `depth` is the element's, the root being 1. */
export interface TagHandler {
  open(tag: SaxesTagPlain, depth: number): void;
  close(depth: number): void;
  text(text: string): void;
}

/**
 * One XML part of a DOCX or XLSX file read as a stream of tags (saxes), inflated under the archive's
 * budget. It yields after each piece inflated, so that a reader can hand on what that piece completed
 * (a worksheet's rows) without holding the whole part. Office never writes a DOCTYPE, and entity
 * expansion attacks begin with one: it is refused, as is nesting deeper than the limit.
 */
export async function* xmlPartPieces(zip: ZipArchive, name: string, handler: TagHandler, limits: ImportLimits, onBytes?: (bytes: number) => void): AsyncGenerator<void> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let depth = 0;
  parser.on('doctype', () => {
    throw new Error(`${name} declares a DOCTYPE, which Office never writes`);
  });
  parser.on('opentag', (tag) => {
    depth += 1;
    if (depth > limits.maxXmlDepth) throw new ImportLimitError('IMPORT_MAX_XML_DEPTH', `${name} nests elements more than ${limits.maxXmlDepth} deep`);
    handler.open(tag, depth);
  });
  parser.on('closetag', () => {
    handler.close(depth);
    depth -= 1;
  });
  parser.on('text', (text) => handler.text(text));
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  try {
    for await (const chunk of await zip.stream(name)) {
      parser.write(decoder.write(chunk as Buffer));
      bytes += (chunk as Buffer).length;
      onBytes?.(bytes);
      yield;
    }
    parser.write(decoder.end()).close();
    yield;
  } catch (error) {
    if (error instanceof ImportLimitError) throw error;
    throw new Error(`${name} cannot be read (${(error as Error).message})`);
  }
}

/** The whole part read through `handler`, for parts whose result is only whole at their end. */
export async function readXmlPart(zip: ZipArchive, name: string, handler: TagHandler, limits: ImportLimits): Promise<void> {
  for await (const _piece of xmlPartPieces(zip, name, handler, limits)) {
    // Nothing to hand on between pieces.
  }
}
