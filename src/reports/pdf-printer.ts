import { access, constants } from 'node:fs/promises';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { chromium } from 'playwright-core';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';

/** Flags for a headless print with nothing reaching the network (the page is self-contained anyway). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** How long one print may take before it is abandoned. */
const PRINT_TIMEOUT_MS = 60_000;

/** Prints an HTML page to PDF with the system's headless Chromium, through playwright-core. */
@Injectable()
export class PdfPrinter {
  private readonly executablePath: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.executablePath = config.reports.chromiumPath;
  }

  /** 503 when Chromium is not installed: the PDF is the only format that needs it. */
  async assertAvailable(): Promise<void> {
    try {
      await access(this.executablePath, constants.X_OK);
    } catch {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'Service Unavailable',
        message: `PDF reports need Chromium, which is not installed at ${this.executablePath}: install it (Debian: apt-get install -y chromium) ` +
          'or set CHROMIUM_PATH; the html format is available meanwhile',
        details: { format: 'pdf', chromiumPath: this.executablePath },
      });
    }
  }

  async print(html: string): Promise<Buffer> {
    await this.assertAvailable();
    const browser = await chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS, headless: true, timeout: PRINT_TIMEOUT_MS });
    try {
      const page = await browser.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout: PRINT_TIMEOUT_MS });
      return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
    } finally {
      await browser.close();
    }
  }
}
