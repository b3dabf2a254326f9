import chardet from 'chardet';
import iconv from 'iconv-lite';
import { isAscii } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/** Bytes looked at, from the first non-ASCII byte on, before the encoding is chosen. */
const SAMPLE_BYTES = 64 * 1024;

/** Encodings chardet recognises well; for Latin-script text it guesses poorly, so we decide ourselves. */
const NON_LATIN_ENCODINGS = /^(windows-125[1356]|KOI8|ISO-8859-[5678]|Shift_JIS|Big5|EUC-|GB|ISO-2022)/i;
/**
 * Bytes of the sample that chardet reads: plenty to recognise a script, and chardet runs every
 * recogniser over all it is given (about 80 ms per 64 KB, the most costly step of reading a file).
 */
const CHARDET_SAMPLE_BYTES = 16 * 1024;
/** On fewer bytes chardet's guesses are noise (one byte can come back as "UTF-32LE"). */
const CHARDET_MINIMUM_BYTES = 64;

/** Typographic punctuation common in Western text, as either candidate decodes it. */
const TYPOGRAPHIC = new Set([...'‘’“”–—…«»°€£§©®™•·', '\u00a0']);

export interface EncodingHint {
  /** Lines end with a lone CR, as old Mac software writes them. */
  carriageReturnLineEnds: boolean;
}

/**
 * The encoding of a text file from a sample that starts at its first non-ASCII byte (or at a BOM).
 * Valid UTF-8 is UTF-8. Otherwise chardet is trusted for non-Latin scripts only; for Western text it
 * cannot tell Mac Roman from Windows-1252 (it calls the UPR Info files, which are Mac Roman,
 * "windows-1252"), so both are decoded and the one giving plausible letters wins.
 */
export function chooseEncoding(sample: Buffer, hint: EncodingHint): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf16be';
  if (isUtf8(sample)) return 'utf8';
  const guess = sample.length >= CHARDET_MINIMUM_BYTES && mostlyHighBytes(sample) ? chardet.analyse(sample.subarray(0, CHARDET_SAMPLE_BYTES))[0] : undefined;
  if (guess && guess.confidence >= 50 && NON_LATIN_ENCODINGS.test(guess.name) && iconv.encodingExists(guess.name)) return guess.name;
  const macintosh = plausibility(decodeSingleByte(sample, 'macintosh'));
  const windows = plausibility(decodeSingleByte(sample, 'windows-1252'));
  if (macintosh !== windows) return macintosh > windows ? 'macintosh' : 'windows-1252';
  return hint.carriageReturnLineEnds ? 'macintosh' : 'windows-1252';
}

/**
 * A non-Latin script writes nearly every letter above 0x7F, Western text only its accents: below a
 * tenth of high bytes (the UPR Info files have a few in 64 KB) chardet has nothing to recognise.
 */
function mostlyHighBytes(sample: Buffer): boolean {
  let high = 0;
  for (let i = 0; i < sample.length; i += 1) if (sample[i] >= 0x80) high += 1;
  return high * 10 >= sample.length;
}

function isUtf8(sample: Buffer): boolean {
  try {
    // `stream: true` forgives a character cut in two at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

const NON_ASCII = /[\u0080-\uffff]/g;

/** Scores the non-ASCII characters: letters that fit their word and common punctuation up, the rest down. */
function plausibility(text: string): number {
  let score = 0;
  // Only the characters above ASCII, found natively: a loop over every character of the sample ran
  // before V8 had optimised it, for each file and for both candidates.
  for (const match of text.matchAll(NON_ASCII)) {
    const i = match.index;
    const character = match[0];
    const previous = text[i - 1] ?? ' ';
    if (/\p{Ll}/u.test(character)) score += 1;
    else if (/\p{Lu}/u.test(character)) score += /\p{Ll}/u.test(previous) ? -1 : 1;
    else if (TYPOGRAPHIC.has(character)) score += 1;
    else score -= character === '\ufffd' || /\p{Cc}/u.test(character) ? 2 : 1;
  }
  return score;
}

/**
 * Bytes in, text out, whatever the encoding. The choice waits for the first non-ASCII byte, because
 * ASCII reads the same in every candidate and the UPR Info files hold their first accent 100 KB to
 * 900 KB in: a decision on the first chunk alone would see plain ASCII and guess wrong.
 */
export class TextDecodingStream extends Transform {
  /** The encoding chosen, once known. */
  encoding: string | null = null;
  private decoder: Pick<iconv.DecoderStream, 'write' | 'end'> | null = null;
  private pending: Buffer = Buffer.alloc(0);
  private sampling = false;
  private bytesRead = 0;
  private sawLineFeed = false;
  private sawCarriageReturn = false;

  constructor(private readonly onBytes?: (bytesRead: number) => void) {
    super({ readableObjectMode: true });
  }

  override _transform(data: Uint8Array, _encoding: BufferEncoding, done: TransformCallback): void {
    const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data);
    this.bytesRead += chunk.length;
    this.onBytes?.(this.bytesRead);
    if (this.decoder) return done(null, this.decoder.write(chunk) || undefined);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.sampling) this.passAsciiPrefix();
    if (this.sampling && this.pending.length >= SAMPLE_BYTES) this.decide();
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.decoder) this.decide();
    done(null, this.decoder!.end() || undefined);
  }

  private passAsciiPrefix(): void {
    const firstNonAscii = firstHighByte(this.pending);
    if (firstNonAscii === -1) {
      this.pushAscii(this.pending);
      this.pending = Buffer.alloc(0);
      return;
    }
    // The sample starts here, so a BOM at the start of the file is the start of the sample.
    this.pushAscii(this.pending.subarray(0, firstNonAscii));
    this.pending = this.pending.subarray(firstNonAscii);
    this.sampling = true;
  }

  private pushAscii(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const text = bytes.toString('latin1');
    this.sawLineFeed ||= text.includes('\n');
    this.sawCarriageReturn ||= text.includes('\r');
    this.push(text);
  }

  private decide(): void {
    this.encoding = this.pending.length === 0 ? 'utf8' : chooseEncoding(this.pending, { carriageReturnLineEnds: this.sawCarriageReturn && !this.sawLineFeed });
    this.decoder = singleByteDecoder(this.encoding) ?? iconv.getDecoder(this.encoding);
    const text = this.decoder.write(this.pending);
    if (text) this.push(text);
    this.pending = Buffer.alloc(0);
  }
}

/**
 * Where the first byte above ASCII is, or -1. Node's isAscii answers for a whole piece natively: the
 * loop, run before V8 has optimised it, goes only through the piece that has one (the UPR Info files
 * hold their first 100 KB to 900 KB in).
 */
function firstHighByte(bytes: Buffer): number {
  if (isAscii(bytes)) return -1;
  for (let i = 0; i < bytes.length; i += 1) if (bytes[i] >= 0x80) return i;
  return -1;
}

/** The Western single-byte encodings chooseEncoding picks, whose bytes below 0x80 are ASCII. */
type SingleByteEncoding = 'macintosh' | 'windows-1252';
const SINGLE_BYTE_ENCODINGS: readonly string[] = ['macintosh', 'windows-1252'] satisfies SingleByteEncoding[];
const HIGH_CHARACTERS = /[\u0080-\u00ff]/g;
/** What each encoding means by the bytes 0x80 to 0xFF, from iconv-lite's tables, made on first use. */
const highHalves = new Map<SingleByteEncoding, (character: string) => string>();

/**
 * Bytes of a Western single-byte encoding as text: read as Latin-1 (native, and nearly all of them
 * are ASCII), then the few above 0x7F rewritten to what the encoding means by them. iconv-lite's
 * decoder copied every byte in JavaScript into a UTF-16 buffer first: the costliest step of reading
 * the UPR Info export.
 */
export function decodeSingleByte(bytes: Buffer, encoding: SingleByteEncoding): string {
  let meaning = highHalves.get(encoding);
  if (!meaning) {
    const high = iconv.decode(Buffer.from(Array.from({ length: 0x80 }, (_, i) => 0x80 + i)), encoding);
    meaning = (character: string) => high[character.charCodeAt(0) - 0x80];
    highHalves.set(encoding, meaning);
  }
  const text = bytes.toString('latin1');
  // Most pieces of the UPR Info export are ASCII all through: isAscii says so natively, at a fraction of a scan for a high character.
  return isAscii(bytes) ? text : text.replace(HIGH_CHARACTERS, meaning);
}

/** A decoder for the encodings decodeSingleByte reads (they keep no state between chunks); null for others. */
function singleByteDecoder(encoding: string): Pick<iconv.DecoderStream, 'write' | 'end'> | null {
  if (!SINGLE_BYTE_ENCODINGS.includes(encoding)) return null;
  return { write: (bytes: Buffer) => decodeSingleByte(bytes, encoding as SingleByteEncoding), end: () => undefined };
}
