import { BadRequestException, HttpStatus } from '@nestjs/common';

/** What a testimony may attach: images, PDF and audio, recognised by their content. */
export const ALLOWED_TYPES: Record<string, string> = {
  'image/png': 'PNG image', 'image/jpeg': 'JPEG image', 'image/gif': 'GIF image', 'image/webp': 'WebP image', 'image/heic': 'HEIC image',
  'application/pdf': 'PDF',
  'audio/mpeg': 'MP3 audio', 'audio/mp4': 'M4A audio', 'audio/x-m4a': 'M4A audio', 'audio/aac': 'AAC audio', 'audio/ogg': 'Ogg audio',
  'audio/ogg; codecs=opus': 'Opus audio', 'audio/opus': 'Opus audio', 'audio/wav': 'WAV audio', 'audio/flac': 'FLAC audio', 'audio/amr': 'AMR audio',
};

interface FileTypeModule {
  fileTypeFromBuffer(buffer: Uint8Array): Promise<{ ext: string; mime: string } | undefined>;
}

// file-type is an ES module; loaded on first use (Node 20 requires it as ESM, Jest through Babel).
const FILE_TYPE: string = 'file-type';
let loaded: Promise<FileTypeModule> | undefined;

/**
 * The file's type as its bytes say (magic numbers), never as its name or the browser's
 * Content-Type claim it: an .exe renamed .png is refused. 400 naming the file's position.
 */
export async function detectAllowedType(content: Buffer, position: number): Promise<string> {
  if (content.length === 0) throw badFile(position, 'the file is empty');
  loaded ??= import(FILE_TYPE) as Promise<FileTypeModule>;
  const detected = await (await loaded).fileTypeFromBuffer(content);
  if (!detected || !(detected.mime in ALLOWED_TYPES)) {
    const found = detected ? `its content is ${detected.mime}` : 'its content is of no type recognised';
    throw badFile(position, `${found}; a testimony may attach images (PNG, JPEG, GIF, WebP, HEIC), PDF and audio (MP3, M4A, AAC, Ogg, Opus, WAV, FLAC, AMR)`);
  }
  return detected.mime;
}

function badFile(position: number, problem: string): BadRequestException {
  const field = `files[${position}]`;
  return new BadRequestException({ statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message: `${field}: ${problem}`, details: [{ field, problem }] });
}
