import type { MulterModuleOptions } from '@nestjs/platform-express';
import type { StorageConfig } from '../../config/storage.config';

/**
 * How every multipart upload (evidence and imports, API and pages) is read: one file of at most
 * UPLOAD_MAX_MB, held in memory (larger: 413). File names are read as UTF-8, as browsers and
 * curl send them: multer's default, latin1, turned `报告.txt` into `æ¥å.txt`. A name sent in
 * RFC 5987 form (`filename*=utf-8''%E6%8A%A5…`) names its own character set and is decoded either way.
 */
export function uploadOptions(storage: StorageConfig): MulterModuleOptions {
  return { limits: { fileSize: storage.uploadMaxBytes, files: 1, fields: 10 }, defParamCharset: 'utf8' };
}
