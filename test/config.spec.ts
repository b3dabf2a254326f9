import { ConfigError, loadConfig } from '../config/app.config';

describe('configuration', () => {
  it('should give the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.database).toEqual({ type: 'sqlite', path: expect.stringMatching(/data\/upr-followup\.sqlite$/) });
    expect(config.storage.uploadMaxBytes).toBe(25 * 1024 * 1024);
    expect(config.mail.smtpUrl).toBeUndefined();
  });

  it('should select PostgreSQL from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/upr' }).database).toEqual({ type: 'postgres', url: 'postgres://u@db:5432/upr', schema: undefined });
  });

  it('should name every bad variable and what is allowed', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', APP_URL: 'localhost', MAIL_FROM: 'nobody', SMTP_URL: 'http://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT="eighty": PORT must be a whole number between 1 and 65535/);
    expect(message).toMatch(/DATABASE_URL="mysql:\/\/x": DATABASE_URL must be sqlite:<file path>/);
    expect(message).toMatch(/APP_URL="localhost"/);
    expect(message).toMatch(/MAIL_FROM="nobody"/);
    expect(message).toMatch(/SMTP_URL="http:\/\/x"/);
  });

  it('should refuse a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT="?70000"?: PORT must be a whole number/);
  });

  it('should read TRUST_PROXY as off, a number of proxies or their addresses, and refuse anything else by name', () => {
    expect(loadConfig({}).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'OFF' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.0.2.7, fd00::/8' }).http.trustProxy).toEqual(['loopback', '10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
    const refusal = (value: string) => {
      try {
        loadConfig({ TRUST_PROXY: value });
        return 'accepted';
      } catch (error) {
        return (error as Error).message.includes(`TRUST_PROXY=${JSON.stringify(value)}: TRUST_PROXY must be off, the number of proxies`) ? 'refused by name' : String(error);
      }
    };
    for (const value of ['on', 'true', '0', '11', '10.0.0.0/33', '10.0.0.300', 'proxy.internal', 'loopback,']) expect({ value, result: refusal(value) }).toEqual({ value, result: 'refused by name' });
  });

  it('should bound PDF and report work by default, and refuse a bad bound by name', () => {
    expect(loadConfig({}).reports).toMatchObject({ pdfConcurrency: 2, pdfQueueMax: 8, pdfMaxRecommendations: 1000, reportConcurrency: 4, reportQueueMax: 16 });
    expect(loadConfig({ PDF_QUEUE_MAX: '0', REPORT_QUEUE_MAX: '0' }).reports).toMatchObject({ pdfQueueMax: 0, reportQueueMax: 0 });
    let message = '';
    try {
      loadConfig({ PDF_CONCURRENCY: '0', PDF_QUEUE_MAX: 'many', PDF_MAX_RECOMMENDATIONS: '1.5', REPORT_CONCURRENCY: '65', REPORT_QUEUE_MAX: '-1' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PDF_CONCURRENCY=0: PDF_CONCURRENCY must be a whole number \(1 to 16\)/);
    expect(message).toMatch(/PDF_QUEUE_MAX="many": PDF_QUEUE_MAX must be a whole number \(0 to 1000\)/);
    expect(message).toMatch(/PDF_MAX_RECOMMENDATIONS="1.5": PDF_MAX_RECOMMENDATIONS must be a whole number of recommendations/);
    expect(message).toMatch(/REPORT_CONCURRENCY=65: REPORT_CONCURRENCY must be a whole number \(1 to 64\)/);
    expect(message).toMatch(/REPORT_QUEUE_MAX=-1: REPORT_QUEUE_MAX must be a whole number \(0 to 1000\)/);
  });

  it('should bound import files by default, and refuse a bad import limit by name', () => {
    expect(loadConfig({}).imports).toMatchObject({ maxUnzippedBytes: 100 * 1024 * 1024, maxZipEntries: 1000, maxZipRatio: 200, maxRows: 250_000, maxColumns: 200, maxCellChars: 32_768, maxLineChars: 256 * 1024, maxXmlDepth: 256 });
    expect(loadConfig({ IMPORT_MAX_UNZIPPED_MB: '20', IMPORT_MAX_ROWS: '1000' }).imports).toMatchObject({ maxUnzippedBytes: 20 * 1024 * 1024, maxRows: 1000 });
    let message = '';
    try {
      loadConfig({ IMPORT_MAX_UNZIPPED_MB: '0', IMPORT_MAX_ROWS: 'lots', IMPORT_MAX_XML_DEPTH: '1.5', IMPORT_MAX_COLUMNS: '5' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/IMPORT_MAX_UNZIPPED_MB=0: IMPORT_MAX_UNZIPPED_MB must be a whole number of megabytes \(1 to 4096\)/);
    expect(message).toMatch(/IMPORT_MAX_ROWS="lots": IMPORT_MAX_ROWS must be a whole number of rows \(1 to 10000000\)/);
    expect(message).toMatch(/IMPORT_MAX_XML_DEPTH="1.5": IMPORT_MAX_XML_DEPTH must be a whole number of levels/);
    expect(message).toMatch(/IMPORT_MAX_COLUMNS=5: IMPORT_MAX_COLUMNS must be a whole number of columns \(10 to 100000\)/);
  });
});
