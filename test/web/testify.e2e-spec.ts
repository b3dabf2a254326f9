import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { LANGUAGES, type Language, translator } from '../../src/i18n/i18n';
import { IntakeSettingsService } from '../../src/testimonies/intake-settings.service';
import { launchBrowser, seriousA11yViolations, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';
import { PDF, png } from '../support/testify-pages';

const tr = (lang: Language, key: string) => translator().t(lang, key);

/**
 * The intake form in a real browser (issue 13, "Done when"): in each of the four languages, a person
 * signed out sends a testimony with an attachment, gets a receipt, adds to it and withdraws it; axe
 * finds no serious violation on any page; no answer sets a cookie; <html lang> is the language.
 */
describe('Web: the intake form /testify in four languages (real browser)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let coordinator: TestUser;
  const slug = 'browser-voices';

  beforeAll(async () => {
    t = await startWebApp({ TESTIMONY_KEY: randomBytes(32).toString('base64'), INTAKE_PER_ADDRESS_PER_HOUR: '1000' });
    browser = await launchBrowser();
    coordinator = await t.createUser('coordinator', 'Coalition Browser Intake');
    await t.app.get(IntakeSettingsService).enable(coordinator.coalitionId, { slug }, null);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Every answer the page got from the server, to check that none set a cookie. */
  const watch = (page: Page) => {
    const answers: Response[] = [];
    page.on('response', (response) => answers.push(response));
    return async () => {
      const cookies: string[] = [];
      for (const answer of answers) {
        const header = await answer.headerValue('set-cookie');
        if (header) cookies.push(`${answer.url()}: ${header}`);
      }
      return cookies;
    };
  };

  const checkPage = async (page: Page, lang: Language, heading: string) => {
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(heading);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
  };

  it.each(LANGUAGES)('should send a testimony with a file, add to it and withdraw it, signed out, in %s', async (lang) => {
    // English is reached through the browser's language (Accept-Language), the others through the switcher.
    const context: BrowserContext = await browser.newContext({ locale: lang === 'en' ? 'en-US' : 'de-DE' });
    const page = await context.newPage();
    const cookiesSet = watch(page);
    await page.goto(`${t.baseUrl}/testify/${slug}`);
    if (lang !== 'en') {
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await page.getByRole('navigation', { name: tr('en', 'layout.languages') }).getByRole('link', { name: { es: 'Español', fr: 'Français', ht: 'Kreyòl ayisyen' }[lang] }).click();
    }
    await checkPage(page, lang, tr(lang, 'form.title'));
    await expect(page.getByRole('navigation', { name: tr(lang, 'layout.languages') }).getByRole('link').count()).resolves.toBe(4);

    // Sent without the consent: the form comes back translated, with the text kept.
    const marker = `BROWSER-${lang}-${randomBytes(4).toString('hex')}`;
    await page.getByLabel(tr(lang, 'form.textLabel')).fill(`${marker} was held for nine days`);
    await page.getByRole('button', { name: tr(lang, 'form.submit') }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(tr(lang, 'errors.consent'));
    await expect(page.getByLabel(tr(lang, 'form.textLabel')).inputValue()).resolves.toBe(`${marker} was held for nine days`);
    await checkPage(page, lang, tr(lang, 'form.title'));

    await page.getByLabel(tr(lang, 'form.placeLabel')).fill('El Paso');
    await page.getByLabel(tr(lang, 'themes.D3')).check();
    await page.getByLabel(tr(lang, 'groups.migrants')).check();
    await page.getByLabel(tr(lang, 'form.consentAnonymised')).check();
    await page.getByLabel(tr(lang, 'form.filesLabel')).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png() });
    await page.getByRole('button', { name: tr(lang, 'form.submit') }).click();
    await checkPage(page, lang, tr(lang, 'receipt.title'));
    const receipt = (await page.locator('#receipt-code').textContent())!.trim();
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    const [row] = await t.dataSource.query(`SELECT id FROM testimony WHERE coalition_id = ${coordinator.coalitionId} ORDER BY id DESC LIMIT 1`);
    const read = async () => (await t.http.get(`/api/v1/testimonies/${row.id}`).set('Authorization', coordinator.auth).expect(200)).body;
    await expect(read()).resolves.toMatchObject({ text: `${marker} was held for nine days`, place: 'El Paso', consent: 'anonymised', language: lang, themes: ['D3'], affectedPersons: ['Migrants'], fileCount: 1 });

    // Add: from the receipt page's link, with text and a PDF.
    await page.getByRole('link', { name: tr(lang, 'receipt.useAdd') }).click();
    await checkPage(page, lang, tr(lang, 'add.title'));
    await page.getByLabel(tr(lang, 'add.receiptLabel')).fill(receipt);
    await page.getByLabel(tr(lang, 'add.textLabel')).fill('and the lawyer was refused');
    await page.getByLabel(tr(lang, 'form.filesLabel')).setInputFiles({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: tr(lang, 'add.submit') }).click();
    await checkPage(page, lang, tr(lang, 'add.doneTitle'));
    await expect(read()).resolves.toMatchObject({ fileCount: 2, additions: [expect.objectContaining({ text: 'and the lawyer was refused' })] });

    // Withdraw: from the form's link, a confirmation, then withdrawn.
    await page.goto(`${t.baseUrl}/testify/${slug}?lang=${lang}`);
    await page.getByRole('link', { name: tr(lang, 'form.withdrawLink') }).click();
    await checkPage(page, lang, tr(lang, 'withdraw.title'));
    await page.getByLabel(tr(lang, 'add.receiptLabel')).fill(receipt);
    await page.getByRole('button', { name: tr(lang, 'withdraw.submit') }).click();
    await checkPage(page, lang, tr(lang, 'withdraw.confirmTitle'));
    await expect(read()).resolves.toMatchObject({ state: 'new', fileCount: 2 });
    await page.getByRole('button', { name: tr(lang, 'withdraw.confirm') }).click();
    await checkPage(page, lang, tr(lang, 'withdraw.doneTitle'));
    await expect(read()).resolves.toMatchObject({ state: 'withdrawn', text: '', fileCount: 0 });

    await expect(cookiesSet()).resolves.toEqual([]);
    await expect(context.cookies()).resolves.toEqual([]);
    await context.close();
  });

  it('should show a closed or unknown form as a translated page without a serious violation', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const res = await page.goto(`${t.baseUrl}/testify/no-such-intake`);
    expect(res?.status()).toBe(404);
    await checkPage(page, 'fr', tr('fr', 'errors.notFoundTitle'));
    await expect(context.cookies()).resolves.toEqual([]);
    await context.close();
  });
});
