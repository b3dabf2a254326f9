import type { MulterModuleOptions } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { diskStorage } from 'multer';
import { join } from 'node:path';
import type { StorageConfig } from '../../config/storage.config';

/**
 * How every multipart upload (evidence and imports, API and pages) is read: one file of at most
 * UPLOAD_MAX_MB (larger: 413), written to `<DATA_DIR>/uploads` as it arrives rather than held in
 * memory, so that memory does not grow with the number of uploads in flight (ten 25 MB uploads at
 * once held 250 MB). The temporary file is deleted when the response ends (`removeUploadedFiles`);
 * evidence moves it into place instead. File names are read as UTF-8, as browsers and curl send
 * them: multer's default, latin1, turned `报告.txt` into `æ¥å.txt`. A name sent in RFC 5987 form
 * (`filename*=utf-8''%E6%8A%A5…`) names its own character set and is decoded either way.
 */
export function uploadOptions(storage: StorageConfig): MulterModuleOptions {
  return {
    storage: diskStorage({
      destination: uploadsDir(storage),
      // Never the client's name: a name cannot choose where the file lands.
      filename: (_request, _file, done) => done(null, `${randomBytes(12).toString('hex')}.upload`),
    }),
    limits: { fileSize: storage.uploadMaxBytes, files: 1, fields: 10 },
    defParamCharset: 'utf8',
  };
}

export function uploadsDir(storage: StorageConfig): string {
  return join(storage.dataDir, 'uploads');
}

/** An uploaded file as multer's disk storage describes it. */
export interface UploadedFileOnDisk {
  originalname: string;
  mimetype: string;
  size: number;
  /** The temporary file, deleted when the response ends. */
  path: string;
}
