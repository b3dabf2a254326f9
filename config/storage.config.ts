import { resolve } from 'node:path';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { toInteger } from './validate-section';

export class StorageEnvironment {
  @IsString()
  DATA_DIR = 'data';

  @Transform(toInteger)
  @IsInt({ message: 'UPLOAD_MAX_MB must be a whole number of megabytes (1 to 1024)' })
  @Min(1, { message: 'UPLOAD_MAX_MB must be a whole number of megabytes (1 to 1024)' })
  @Max(1024, { message: 'UPLOAD_MAX_MB must be a whole number of megabytes (1 to 1024)' })
  UPLOAD_MAX_MB = 25;
}

export interface StorageConfig {
  dataDir: string;
  evidenceDir: string;
  uploadMaxBytes: number;
}

export function toStorageConfig(env: StorageEnvironment, cwd = process.cwd()): StorageConfig {
  const dataDir = resolve(cwd, env.DATA_DIR);
  return { dataDir, evidenceDir: resolve(dataDir, 'evidence'), uploadMaxBytes: env.UPLOAD_MAX_MB * 1024 * 1024 };
}
