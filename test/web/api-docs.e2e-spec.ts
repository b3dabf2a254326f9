import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchBrowser, startWebApp, type WebTestApp } from '../support/browser';

/** Issue 10, finding 9b: the API documentation has a content security policy, and Swagger UI works under it. */
describe('API documentation page (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startWebApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should send a content security policy that allows no inline or foreign script', async () => {
    const res = await request(t.baseUrl).get('/api/docs/').expect(200);
    const policy = res.headers['content-security-policy'] ?? '';
    const directives = new Map(policy.split(';').map((d: string) => d.trim().split(/\s+/)).map(([name, ...values]: string[]) => [name, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('should describe every list of the API as { items, total, page, pageSize } taking page and pageSize', async () => {
    const { body: doc } = await request(t.baseUrl).get('/api/docs-json').expect(200);
    const lists = ['/api/v1/me/tokens', '/api/v1/users', '/api/v1/cycles', '/api/v1/recommendations', '/api/v1/recommendations/{id}/evidence', '/api/v1/deadlines', '/api/v1/admin/outbox'];
    for (const path of lists) {
      const operation = doc.paths[path]?.get;
      const ref: string | undefined = operation?.responses?.['200']?.content?.['application/json']?.schema?.$ref;
      const schema = ref ? doc.components.schemas[ref.split('/').pop()!] : undefined;
      const parameters = (operation?.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name);
      expect({ path, properties: Object.keys(schema?.properties ?? {}).sort(), items: schema?.properties?.items?.type, paged: ['page', 'pageSize'].every((name) => parameters.includes(name)) })
        .toEqual({ path, properties: ['items', 'page', 'pageSize', 'total'], items: 'array', paged: true });
    }
  });

  it('should render Swagger UI with the operations, with no content security policy violation', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    // Reported by the browser for every blocked script, style, image or request, also when it logs nothing.
    await page.addInitScript('document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`))');

    const response = await page.goto(`${t.baseUrl}/api/docs`);
    expect(response?.status()).toBe(200);
    await page.locator('.swagger-ui .info .title').waitFor();
    await expect(page.locator('.swagger-ui .info .title').textContent()).resolves.toContain('upr-followup');
    // The document was fetched and drawn: its operations are listed, and one opens.
    await page.locator('.opblock-tag-section').first().waitFor();
    await expect(page.locator('.opblock').count()).resolves.toBeGreaterThan(10);
    await page.locator('.opblock-summary', { hasText: '/api/v1/cycles' }).first().click();
    await page.locator('.opblock.is-open').first().waitFor();
    // Swagger UI's own stylesheet and inline styles applied (a blocked style leaves the page unstyled).
    const background = await page.locator('.swagger-ui .opblock.is-open').first().evaluate('(element) => getComputedStyle(element).backgroundColor');
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    expect(problems).toEqual([]);
    await page.close();
  });
});
