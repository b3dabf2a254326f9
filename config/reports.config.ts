import { resolve } from 'node:path';
import { IsString, Matches } from 'class-validator';
import { WholeNumber } from './validate-section';

export class ReportsEnvironment {
  /** PDF reports print the HTML report with this Chromium (Debian: apt-get install chromium). */
  @IsString()
  @Matches(/^\//, { message: 'CHROMIUM_PATH must be an absolute path such as /usr/bin/chromium' })
  CHROMIUM_PATH = '/usr/bin/chromium';

  /**
   * Pages printing at once in the one shared Chromium. Measured: the browser with two pages of a
   * 1,000-recommendation cycle held 0.9 GB (PSS); two cores print no faster with more pages.
   */
  @WholeNumber(1, 16, 'PDF_CONCURRENCY must be a whole number (1 to 16)')
  PDF_CONCURRENCY = 2;

  /**
   * PDF requests waiting for a page; one more is answered 503 with Retry-After. A waiting request
   * holds nothing (its HTML is built when its turn comes); 8 behind 2 pages is a wait of a few
   * seconds at the size of a real UPR cycle (under 500 recommendations).
   */
  @WholeNumber(0, 1000, 'PDF_QUEUE_MAX must be a whole number (0 to 1000)')
  PDF_QUEUE_MAX = 8;

  /**
   * The largest cycle printed as PDF: Chromium's memory grows with the page (one print, measured:
   * 0.47 GB at 300 recommendations, 0.6 GB at 1,000, 0.9 GB at 2,000, 1.8 GB at 5,000). A real UPR
   * cycle has under 500. Larger cycles get the same report as HTML (which a browser prints) or XLSX.
   */
  @WholeNumber(1, 20000, 'PDF_MAX_RECOMMENDATIONS must be a whole number of recommendations (1 to 20000)')
  PDF_MAX_RECOMMENDATIONS = 1000;

  /**
   * JSON, CSV, XLSX and HTML reports being sent at once: each holds about 30-60 MB while it streams
   * a cycle of 100,000 recommendations and keeps a core busy (measured: 24 at once took the server
   * from 0.23 to 1.0 GB; with this limit, 0.6 GB).
   */
  @WholeNumber(1, 64, 'REPORT_CONCURRENCY must be a whole number (1 to 64)')
  REPORT_CONCURRENCY = 4;

  /** Those reports waiting for a turn; one more is answered 503 with Retry-After. */
  @WholeNumber(0, 1000, 'REPORT_QUEUE_MAX must be a whole number (0 to 1000)')
  REPORT_QUEUE_MAX = 16;
}

export interface ReportsConfig {
  chromiumPath: string;
  /** Where cycle-close reports are written: <DATA_DIR>/reports. */
  reportsDir: string;
  pdfConcurrency: number;
  pdfQueueMax: number;
  pdfMaxRecommendations: number;
  reportConcurrency: number;
  reportQueueMax: number;
}

export function toReportsConfig(env: ReportsEnvironment, dataDir: string): ReportsConfig {
  return {
    chromiumPath: env.CHROMIUM_PATH,
    reportsDir: resolve(dataDir, 'reports'),
    pdfConcurrency: env.PDF_CONCURRENCY,
    pdfQueueMax: env.PDF_QUEUE_MAX,
    pdfMaxRecommendations: env.PDF_MAX_RECOMMENDATIONS,
    reportConcurrency: env.REPORT_CONCURRENCY,
    reportQueueMax: env.REPORT_QUEUE_MAX,
  };
}
