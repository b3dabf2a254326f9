import { resolve } from 'node:path';
import { IsString, Matches } from 'class-validator';

export class ReportsEnvironment {
  /** PDF reports print the HTML report with this Chromium (Debian: apt-get install chromium). */
  @IsString()
  @Matches(/^\//, { message: 'CHROMIUM_PATH must be an absolute path such as /usr/bin/chromium' })
  CHROMIUM_PATH = '/usr/bin/chromium';
}

export interface ReportsConfig {
  chromiumPath: string;
  /** Where cycle-close reports are written: <DATA_DIR>/reports. */
  reportsDir: string;
}

export function toReportsConfig(env: ReportsEnvironment, dataDir: string): ReportsConfig {
  return { chromiumPath: env.CHROMIUM_PATH, reportsDir: resolve(dataDir, 'reports') };
}
