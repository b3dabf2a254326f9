import { access, constants } from 'node:fs/promises';
import { Inject, Injectable, Logger, OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import type { Browser, BrowserContext } from 'playwright-core';
import { APP_CONFIG, type AppConfig } from '../../config/app.config';
import { RetryLaterException } from '../common/retry-later.exception';
import { WorkQueue } from '../common/work-queue';

/** Flags for a headless print with nothing reaching the network (the page is self-contained anyway). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** How long one print (or the browser's start) may take before it is abandoned; also the longest wait for a page. */
const PRINT_TIMEOUT_MS = 60_000;

/** How long closing a print's context may take before it is left to the browser. */
const CLOSE_TIMEOUT_MS = 5_000;

/** A restarted browser is ready within about a second. */
const RESTART_RETRY_SECONDS = 2;

/**
 * Prints HTML pages to PDF in one headless Chromium (through playwright-core), shared by every
 * request: launched by the first print, relaunched by the next print after it dies, closed when the
 * application shuts down. At most PDF_CONCURRENCY pages print at once, each in a context of its own;
 * up to PDF_QUEUE_MAX prints wait their turn in order, and any more are answered 503 with Retry-After.
 * (A browser per print started about nine processes and 275 MB each: eight requests at once held
 * 74 Chromium processes and 2.2 GB.)
 */
@Injectable()
export class PdfPrinter implements OnApplicationShutdown {
  private readonly logger = new Logger('PdfPrinter');
  private readonly executablePath: string;
  private readonly pages: WorkQueue;
  /** The shared browser, or its launch under way; null before the first print and after it died. */
  private browser: Promise<Browser> | null = null;
  private shuttingDown = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { chromiumPath, pdfConcurrency, pdfQueueMax } = config.reports;
    this.executablePath = chromiumPath;
    this.pages = new WorkQueue({
      name: 'PDF reports', doing: 'printing', settings: `PDF_CONCURRENCY=${pdfConcurrency}, PDF_QUEUE_MAX=${pdfQueueMax}`,
      concurrency: pdfConcurrency, maxQueued: pdfQueueMax, maxWaitMs: PRINT_TIMEOUT_MS, expectedTurnMs: 2000,
      hint: 'or ask for format=html (the same report, which a browser can print)',
    });
  }

  /** Prints under way and waiting (for health checks and tests). */
  get load(): { running: number; waiting: number } {
    return this.pages.stats;
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

  /**
   * Waits for a free page (or is refused at once when too many wait), then builds the page's HTML
   * and prints it: a waiting request holds no HTML.
   */
  async print(content: () => Promise<string>): Promise<Buffer> {
    await this.assertAvailable();
    return this.pages.run(async () => this.printNow(await content()));
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    const launched = this.browser;
    this.browser = null;
    const browser = await launched?.catch(() => null);
    await browser?.close().catch(() => undefined);
  }

  private async printNow(html: string): Promise<Buffer> {
    const { browser, context } = await this.openContext();
    let timedOut = false;
    // Closing the context ends whatever the page is doing: setContent and pdf() then reject.
    const deadline = setTimeout(() => {
      timedOut = true;
      void context.close().catch(() => undefined);
    }, PRINT_TIMEOUT_MS);
    // A browser killed in the middle of a print does not always fail the page's pending call (seen:
    // a print that never settled, holding its turn for ever): its exit ends the print too.
    let onExit!: () => void;
    const exited = new Promise<never>((_, reject) => {
      onExit = () => reject(new Error('the browser exited'));
      browser.once('disconnected', onExit);
    });
    try {
      return await Promise.race([exited, (async () => {
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load', timeout: PRINT_TIMEOUT_MS });
        return page.pdf({ format: 'A4', printBackground: true, margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' } });
      })()]);
    } catch (error) {
      if (!browser.isConnected()) {
        throw new RetryLaterException(RESTART_RETRY_SECONDS, 'The browser that prints PDF reports stopped while printing this one; it restarts with the next request: try again');
      }
      if (timedOut) {
        throw new RetryLaterException(RESTART_RETRY_SECONDS, `Printing this PDF report took longer than ${PRINT_TIMEOUT_MS / 1000} s and was abandoned; ` +
          'try again, or ask for format=html');
      }
      throw error;
    } finally {
      clearTimeout(deadline);
      browser.off('disconnected', onExit);
      exited.catch(() => undefined);
      // Closing a context of a browser that has just died can wait for ever too: a dead one needs no closing.
      if (browser.isConnected()) await withTimeout(context.close().catch(() => undefined), CLOSE_TIMEOUT_MS);
    }
  }

  /** A fresh context (no cookies or storage shared between prints) in the shared browser. */
  private async openContext(): Promise<{ browser: Browser; context: BrowserContext }> {
    const browser = await this.sharedBrowser();
    try {
      return { browser, context: await browser.newContext() };
    } catch (error) {
      if (browser.isConnected()) throw error;
      // It died since the last print and its 'disconnected' event has not been handled yet: start another, once.
      if (this.browser && (await this.browser.catch(() => null)) === browser) this.browser = null;
      const fresh = await this.sharedBrowser();
      return { browser: fresh, context: await fresh.newContext() };
    }
  }

  private sharedBrowser(): Promise<Browser> {
    if (this.shuttingDown) throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', message: 'The server is shutting down; try again' });
    this.browser ??= this.launch();
    return this.browser;
  }

  private launch(): Promise<Browser> {
    // playwright-core takes most of a second to load: loaded by the first PDF, not by every start
    // of the server and the command line.
    const launching: Promise<Browser> = import('playwright-core').then(({ chromium }) => chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS, headless: true, timeout: PRINT_TIMEOUT_MS })).then(
      (browser) => {
        browser.on('disconnected', () => {
          if (this.browser !== launching) return; // closed on purpose, or already replaced
          this.browser = null;
          this.logger.warn('Chromium exited; the next PDF report starts it again');
        });
        return browser;
      },
      (error: Error) => {
        if (this.browser === launching) this.browser = null;
        this.logger.error(`Chromium (${this.executablePath}) did not start: ${error.message}`);
        throw new RetryLaterException(RESTART_RETRY_SECONDS, 'The browser that prints PDF reports did not start (this has been logged); try again, or ask for format=html');
      },
    );
    return launching;
  }
}

/** The promise's outcome, or nothing once `ms` have passed. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
