import type { LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { LANGUAGE_NAMES, LANGUAGES, type Language, translator } from '../src/i18n/i18n';
import { IntakeSettingsService } from '../src/testimonies/intake-settings.service';
import { createTestApp, type TestApp, type TestUser } from './support/test-app';
import { CATALOGUES, fixedPieces, pageTexts, PDF, png } from './support/testify-pages';

const KEY = randomBytes(32).toString('base64');
const MARKER = `FORM-MARKER-${randomBytes(6).toString('hex')}`;
const tr = (lang: Language, key: string, values?: Record<string, unknown>) => translator().t(lang, key, values);

class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private keep = (...parts: unknown[]) => this.lines.push(parts.map((p) => (p instanceof Error ? `${p.message}\n${p.stack}` : typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  log = this.keep;
  error = this.keep;
  warn = this.keep;
  debug = this.keep;
  verbose = this.keep;
  fatal = this.keep;
}

const setCookies = (res: request.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
const htmlLang = (html: string) => /<html lang="([^"]*)">/.exec(html)?.[1];
/** The piece as words of the text, not inside a longer word ("Continue" is not in "Continuer"). */
const containsWords = (text: string, piece: string) => new RegExp(`(?<![\\p{L}\\p{N}])${piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(text);
const receiptOf = (html: string) => /id="receipt-code"[^>]*>([^<]+)</.exec(html)?.[1].trim() ?? '';

/**
 * The public intake form /testify/SLUG (issue 13): languages, the form's errors, its protection (no
 * cookie, posts only from its own page, the API's throttle, the hidden field), nothing half-written.
 * The browser suite (test/web/testify.e2e-spec.ts) walks the same pages with axe.
 */
describe('Intake form /testify (issue 13)', () => {
  let t: TestApp;
  let coordinator: TestUser;
  let logger: CapturingLogger;
  const slug = 'form-voices';
  const count = async () => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM testimony`))[0].n);
  const files = async () => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM testimony_file`))[0].n);
  const post = (path: string) => t.http.post(path);

  beforeAll(async () => {
    logger = new CapturingLogger();
    t = await createTestApp({ TESTIMONY_KEY: KEY, INTAKE_PER_ADDRESS_PER_HOUR: '1000', INTAKE_FILE_MAX_MB: '1' }, { logger });
    coordinator = await t.createUser('coordinator', 'Coalition Form');
    await t.app.get(IntakeSettingsService).enable(coordinator.coalitionId, { slug }, null);
    const other = await t.createUser('admin', 'Coalition Form Closed');
    await t.app.get(IntakeSettingsService).enable(other.coalitionId, { slug: 'form-closed' }, null);
    await t.app.get(IntakeSettingsService).disable(other.coalitionId, null);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should answer in the language of ?lang=, else Accept-Language, else English, with <html lang>, no cookie and no-store', async () => {
    const cases: [string, string | undefined, Language][] = [
      [`/testify/${slug}?lang=ht`, 'es', 'ht'], [`/testify/${slug}`, 'fr-CA,fr;q=0.9,en;q=0.5', 'fr'], [`/testify/${slug}`, 'de, es;q=0.4', 'es'],
      [`/testify/${slug}`, 'de', 'en'], [`/testify/${slug}?lang=xx`, undefined, 'en'], [`/testify/${slug}/add?lang=es`, undefined, 'es'], [`/testify/${slug}/withdraw?lang=fr`, undefined, 'fr'],
    ];
    for (const [path, accept, lang] of cases) {
      const req = t.http.get(path);
      if (accept) req.set('Accept-Language', accept);
      const res = await req.expect(200);
      expect({ path, accept, lang: htmlLang(res.text) }).toEqual({ path, accept, lang });
      expect(res.text).toContain(tr(lang, path.includes('/add') ? 'add.title' : path.includes('/withdraw') ? 'withdraw.title' : 'form.title'));
      expect(setCookies(res)).toEqual([]);
      expect(res.headers['cache-control']).toBe('no-store');
      // Nothing from another site: no absolute URL in the page, and the pages' strict policy.
      expect(res.text).not.toMatch(/(src|href|action)="(https?:)?\/\//);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
    // The switcher: a plain link per language, to the same page.
    const form = await t.http.get(`/testify/${slug}?lang=es`).expect(200);
    for (const lang of LANGUAGES) expect(form.text.replace(/&#x3D;/g, '=')).toContain(`href="/testify/${slug}?lang=${lang}" lang="${lang}"`);
  });

  it('should leave no English text of the catalogue, nor of the English page, on any page in Spanish, French and Haitian Creole', async () => {
    const pages = async (lang: Language): Promise<Record<string, string>> => {
      const q = `?lang=${lang}`;
      const submit = await post(`/testify/${slug}${q}`).field('text', `${MARKER} ${lang}`).field('consent', 'internal').field('themes', 'D3').attach('files', png(), 'photo.png').expect(200);
      const receipt = receiptOf(submit.text);
      expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
      return {
        form: (await t.http.get(`/testify/${slug}${q}`).expect(200)).text,
        formErrors: (await post(`/testify/${slug}${q}`).field('place', 'x').expect(422)).text,
        fileError: (await post(`/testify/${slug}${q}`).field('text', MARKER).field('consent', 'internal').attach('files', Buffer.from('MZ not a picture'), 'x.png').expect(400)).text,
        receipt: submit.text,
        add: (await t.http.get(`/testify/${slug}/add${q}`).expect(200)).text,
        addErrors: (await post(`/testify/${slug}/add${q}`).field('receipt', 'nope').expect(422)).text,
        added: (await post(`/testify/${slug}/add${q}`).field('receipt', receipt).field('text', 'more').expect(200)).text,
        withdraw: (await t.http.get(`/testify/${slug}/withdraw${q}`).expect(200)).text,
        confirm: (await post(`/testify/${slug}/withdraw${q}`).type('form').send({ receipt }).expect(200)).text,
        withdrawn: (await post(`/testify/${slug}/withdraw${q}`).type('form').send({ receipt, confirm: 'yes' }).expect(200)).text,
        unknownReceipt: (await post(`/testify/${slug}/withdraw${q}`).type('form').send({ receipt, confirm: 'yes' }).expect(404)).text,
        notFound: (await t.http.get(`/testify/no-such-form${q}`).expect(404)).text,
      };
    };
    const english = await pages('en');
    const englishTexts = Object.fromEntries(Object.entries(english).map(([name, html]) => [name, new Set(pageTexts(html))]));
    // The names of the languages in the switcher, the receipt (random) and the file types are the same in every language.
    const sameEverywhere = (text: string) => Object.values(LANGUAGE_NAMES).includes(text) || /^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/.test(text);
    for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
      const translated = await pages(lang);
      for (const [name, html] of Object.entries(translated)) {
        expect({ lang, name, htmlLang: htmlLang(html) }).toEqual({ lang, name, htmlLang: lang });
        const texts = pageTexts(html);
        const joined = texts.join('\n');
        const leftInEnglish = [...CATALOGUES.en]
          .filter(([key, text]) => CATALOGUES[lang].get(key) !== text)
          .flatMap(([key, text]) => fixedPieces(text).filter((piece) => containsWords(joined, piece)).map((piece) => `${key}: ${piece}`));
        // What the test typed is shown back as typed.
        const sameAsEnglishPage = texts.filter((text) => englishTexts[name].has(text) && !sameEverywhere(text) && !text.includes(MARKER));
        expect({ lang, name, leftInEnglish, sameAsEnglishPage }).toEqual({ lang, name, leftInEnglish: [], sameAsEnglishPage: [] });
      }
    }
  });

  it('should store a testimony sent from the form as the API does: text, place, themes, groups, consent, language and the file', async () => {
    const res = await post(`/testify/${slug}?lang=es`).field('text', `${MARKER} detenido nueve días`).field('place', 'El Paso').field('date', 'marzo 2026')
      .field('agency', 'ICE').field('contact', 'via the clinic').field('consent', 'anonymised').field('themes', 'D3').field('themes', 'D5').field('groups', 'migrants')
      .attach('files', png(), 'photo.png').expect(200);
    expect(res.text).toContain(tr('es', 'receipt.keep'));
    const [row] = await t.dataSource.query(`SELECT id FROM testimony ORDER BY id DESC LIMIT 1`);
    const stored = (await t.http.get(`/api/v1/testimonies/${row.id}`).set('Authorization', coordinator.auth).expect(200)).body;
    expect(stored).toMatchObject({
      text: `${MARKER} detenido nueve días`, place: 'El Paso', date: 'marzo 2026', agency: 'ICE', contact: 'via the clinic', consent: 'anonymised', language: 'es',
      themes: ['D3', 'D5'], affectedPersons: ['Migrants'], fileCount: 1,
    });
    expect(stored.files.map((f: { mimeType: string }) => f.mimeType)).toEqual(['image/png']);
  });

  it('should show the form again, translated, with what was typed and nothing written, when the text or the consent is missing or a choice is unknown', async () => {
    const before = [await count(), await files()];
    const noText = await post(`/testify/${slug}?lang=fr`).field('text', '   ').field('place', `${MARKER} Lyon`).field('consent', 'public').field('groups', 'children').attach('files', PDF, 'a.pdf').expect(422);
    expect(noText.text).toContain(tr('fr', 'errors.text'));
    expect(noText.text).toContain(`value="${MARKER} Lyon"`);
    expect(noText.text).toMatch(/id="consent-public" [^>]*checked/);
    expect(noText.text).toMatch(/id="group-children" [^>]*checked/);
    expect(noText.text).toContain(tr('fr', 'errors.filesAgain'));
    const noConsent = await post(`/testify/${slug}?lang=ht`).field('text', `${MARKER} <b>bold</b>`).expect(422);
    expect(noConsent.text).toContain(tr('ht', 'errors.consent'));
    expect(noConsent.text).toContain(`&lt;b&gt;bold&lt;/b&gt;</textarea>`);
    const badChoice = await post(`/testify/${slug}?lang=es`).field('text', 'x').field('consent', 'internal').field('themes', 'Z9').expect(422);
    expect(badChoice.text).toContain(tr('es', 'errors.choices'));
    const tooLong = await post(`/testify/${slug}?lang=en`).field('text', 'x').field('consent', 'internal').field('place', 'p'.repeat(501)).expect(422);
    expect(tooLong.text).toContain(tr('en', 'errors.fieldTooLong', { max: 500 }));
    expect([await count(), await files()]).toEqual(before);
    expect(setCookies(noText)).toEqual([]);
  });

  it('should refuse, on the form, a file whose content is not an image, PDF or audio, and a file too large, writing nothing', async () => {
    const before = [await count(), await files()];
    const exe = await post(`/testify/${slug}?lang=es`).field('text', `${MARKER} con archivo`).field('consent', 'internal')
      .attach('files', PDF, 'ok.pdf').attach('files', Buffer.from('MZ\x90\x00 this is no picture at all'), 'photo.png').expect(400);
    expect(exe.text).toContain(tr('es', 'errors.fileType', { position: 2 }));
    expect(exe.text).toContain(`${MARKER} con archivo</textarea>`);
    const big = await post(`/testify/${slug}?lang=fr`).field('text', 'x').field('consent', 'internal').attach('files', Buffer.concat([PDF, Buffer.alloc(1024 * 1024 + 10)]), 'big.pdf').expect(413);
    expect(big.text).toContain(tr('fr', 'errors.fileTooLarge', { size: 1 }));
    expect([await count(), await files()]).toEqual(before);
  });

  it('should refuse a post from another site (Sec-Fetch-Site, else Origin) with a translated 403, and take one from its own page', async () => {
    const before = await count();
    const forged = await post(`/testify/${slug}?lang=es`).set('Sec-Fetch-Site', 'cross-site').set('Origin', 'https://evil.example').field('text', 'x').field('consent', 'internal').expect(403);
    expect(forged.text).toContain(tr('es', 'errors.forbidden'));
    await post(`/testify/${slug}?lang=es`).set('Origin', 'https://evil.example').field('text', 'x').field('consent', 'internal').expect(403);
    await post(`/testify/${slug}/withdraw?lang=es`).set('Sec-Fetch-Site', 'same-site').type('form').send({ receipt: 'x' }).expect(403);
    expect(await count()).toBe(before);
    await post(`/testify/${slug}?lang=es`).set('Sec-Fetch-Site', 'same-origin').field('text', 'x').field('consent', 'internal').expect(200);
    expect(await count()).toBe(before + 1);
  });

  it('should answer a closed or unknown intake with a translated 404 page, on every page and post', async () => {
    for (const path of ['/testify/form-closed', '/testify/form-closed/add', '/testify/form-closed/withdraw', '/testify/unknown-slug', '/testify/%00bad']) {
      const res = await t.http.get(`${path}?lang=ht`).expect(404);
      expect(res.text).toContain(tr('ht', 'errors.notFound'));
      expect(setCookies(res)).toEqual([]);
    }
    const before = await count();
    await post('/testify/form-closed?lang=fr').field('text', 'x').field('consent', 'internal').attach('files', PDF, 'a.pdf').expect(404);
    await post('/testify/form-closed/withdraw?lang=fr').type('form').send({ receipt: 'x' }).expect(404);
    expect(await count()).toBe(before);
  });

  it('should answer a filled hidden field like a success and store nothing', async () => {
    const before = [await count(), await files()];
    const res = await post(`/testify/${slug}?lang=en`).field('text', 'buy now').field('consent', 'public').field('website', 'http://spam.example').attach('files', PDF, 'a.pdf').expect(200);
    expect(receiptOf(res.text)).toMatch(/^[0-9A-Z]{4}-/);
    expect([await count(), await files()]).toEqual(before);
  });

  it('should add to a testimony and withdraw it with the receipt, after a confirmation that destroys nothing', async () => {
    const sent = await post(`/testify/${slug}?lang=fr`).field('text', `${MARKER} first`).field('consent', 'internal').expect(200);
    const receipt = receiptOf(sent.text);
    const [row] = await t.dataSource.query(`SELECT id FROM testimony ORDER BY id DESC LIMIT 1`);
    const nothing = await post(`/testify/${slug}/add?lang=fr`).field('receipt', receipt).field('text', '').expect(422);
    expect(nothing.text).toContain(tr('fr', 'errors.addNothing'));
    expect(nothing.text).toContain(`value="${receipt}"`);
    const added = await post(`/testify/${slug}/add?lang=fr`).field('receipt', receipt.toLowerCase()).field('text', `${MARKER} more`).attach('files', PDF, 'a.pdf').expect(200);
    expect(added.text).toContain(tr('fr', 'add.done'));
    const read = (await t.http.get(`/api/v1/testimonies/${row.id}`).set('Authorization', coordinator.auth).expect(200)).body;
    expect([read.additions.map((a: { text: string }) => a.text), read.fileCount]).toEqual([[`${MARKER} more`], 1]);

    const confirm = await post(`/testify/${slug}/withdraw?lang=fr`).type('form').send({ receipt }).expect(200);
    expect(confirm.text).toContain(tr('fr', 'withdraw.confirmText'));
    expect((await t.http.get(`/api/v1/testimonies/${row.id}`).set('Authorization', coordinator.auth).expect(200)).body.state).not.toBe('withdrawn');
    const done = await post(`/testify/${slug}/withdraw?lang=fr`).type('form').send({ receipt, confirm: 'yes' }).expect(200);
    expect(done.text).toContain(tr('fr', 'withdraw.done'));
    expect((await t.http.get(`/api/v1/testimonies/${row.id}`).set('Authorization', coordinator.auth).expect(200)).body).toMatchObject({ state: 'withdrawn', text: '', fileCount: 0 });
    const again = await post(`/testify/${slug}/add?lang=fr`).field('receipt', receipt).field('text', 'x').expect(404);
    expect(again.text).toContain(tr('fr', 'errors.receiptUnknown'));
    const malformed = await post(`/testify/${slug}/withdraw?lang=fr`).type('form').send({ receipt: 'not a receipt' }).expect(422);
    expect(malformed.text).toContain(tr('fr', 'errors.receipt'));
  });

  it('should never log what was typed', () => {
    expect(logger.lines.filter((line) => line.includes(MARKER))).toEqual([]);
  });
});

describe('Intake form /testify: the throttle (issue 13)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ TESTIMONY_KEY: KEY, INTAKE_PER_ADDRESS_PER_HOUR: '2' });
    const user = await t.createUser('admin', 'Coalition Throttled Form');
    await t.app.get(IntakeSettingsService).enable(user.coalitionId, { slug: 'throttled-form' }, null);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should count the form and the API together per address and answer a translated 429 page with Retry-After, receiving nothing', async () => {
    await t.http.post('/api/v1/public/testimonies/throttled-form').send({ text: 'x', consent: 'internal', language: 'en' }).expect(201);
    await t.http.post('/testify/throttled-form?lang=es').field('text', 'x').field('consent', 'internal').expect(200);
    // Reading the form is not counted.
    for (let i = 0; i < 3; i += 1) await t.http.get('/testify/throttled-form?lang=es').expect(200);
    const before = Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM testimony`))[0].n);
    const res = await t.http.post('/testify/throttled-form?lang=es').field('text', 'x').field('consent', 'internal').attach('files', PDF, 'a.pdf').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).toContain(tr('es', 'errors.tooManyBack'));
    expect(res.text).toContain(tr('es', 'errors.tooMany', { minutes: 60 }).slice(0, 40));
    expect(htmlLang(res.text)).toBe('es');
    expect(setCookies(res)).toEqual([]);
    expect(Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM testimony`))[0].n)).toBe(before);
  });
});
