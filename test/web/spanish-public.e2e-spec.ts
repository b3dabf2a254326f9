import { randomBytes } from 'node:crypto';
import { AccountLinksRepository } from '../../src/accounts/account-links.repository';
import { SetupCode } from '../../src/accounts/setup-code';
import { hashToken } from '../../src/auth/token.util';
import { LANGUAGE_NAMES } from '../../src/i18n/i18n';
import { IntakeSettingsService } from '../../src/testimonies/intake-settings.service';
import { AppLabels } from '../../src/i18n/app-labels';
import type { AuthUser } from '../../src/auth/auth-user';
import { translator } from '../../src/i18n/i18n';
import { CalendarTexts, deadlineCalendar } from '../../src/notifications/deadline-calendar';
import type { DeadlinePayload } from '../../src/notifications/notification-payload';
import { CalendarFeedService } from '../../src/web/calendar/calendar-feed.service';
import type { Browser } from 'playwright-core';
import { launchBrowser, PASSWORD, seriousA11yViolations, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';
import { pageTexts } from '../support/testify-pages';
import { APP, englishLeftOf } from '../support/spanish-pages';
import { WebClient } from '../support/web-session';

const htmlLang = (html: string) => /<html lang="([^"]*)">/.exec(html)?.[1];
const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
/** What the test typed, the canonical names of themes and groups (UHRI's English lists), and what is the same in any language. */
const DATA = ['Ana Pérez', 'John Smith', 'Coalition Publica', 'D25 Prohibition of torture and cruel, inhuman or degrading treatment', 'Persons deprived of their liberty', 'Migrants',
  'Shadow report', 'End the mandatory detention of asylum seekers', 'Chile', 'upr-followup', 'GET /api/v1/testimonies/', 'Held nine days without a lawyer.'];
const isData = (text: string) =>
  DATA.some((d) => text.includes(d)) || /^[\d\s:.,#·→()\-–UTC%]+$/.test(text) || /@/.test(text) || /^(en|es|fr|ht)$/.test(text) || Object.values(LANGUAGE_NAMES).includes(text) || /^[a-z]+\/[\w.+-]+$/.test(text);

/** The catalogue's English texts found in a Spanish page, and its texts identical to the English page's (test/support/spanish-pages.ts). */
const englishLeft = englishLeftOf(isData);

/**
 * Issue 13, the rest of the web application in Spanish: the coordinators' testimony pages (with the
 * themes named and the queue filtered by tag), the pages of signed-out people (errors, invitation,
 * password, setup: their language from ?lang=, else Accept-Language), the public ledger with its
 * language switcher, and the "new testimony" email and calendars in the recipient's language.
 */
describe('The public and account pages, the testimony pages and their emails in Spanish (issue 13)', () => {
  const MARKER = `zq${randomBytes(6).toString('hex')}public`;
  const coalition = 'Coalition Publica';
  let t: WebTestApp;
  let admin: TestUser;
  let spanish: TestUser;
  let english: TestUser;
  let cycleId: number;
  let recommendationId: number;
  let testimonyId: number;
  let otherTestimonyId: number;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000', TESTIMONY_KEY: randomBytes(32).toString('base64') });
    admin = await t.createUser('admin', coalition);
    spanish = await t.createUser('coordinator', coalition);
    english = await t.createUser('coordinator', coalition);
    await t.dataSource.query(`UPDATE app_user SET name = 'Ana Pérez' WHERE id = ${spanish.id}`);
    await t.dataSource.query(`UPDATE app_user SET name = 'John Smith' WHERE id IN (${english.id}, ${admin.id})`);
    await t.http.patch('/api/v1/me/preferences').set('Authorization', spanish.auth).send({ language: 'es' }).expect(200);
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Chile', session: '46' }).expect(201);
    cycleId = cycle.body.id;
    const rec = await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', admin.auth)
      .send({ paragraph: '26.7', text: 'End the mandatory detention of asylum seekers', response: 'supported' }).expect(201);
    recommendationId = rec.body.id;
    await t.http.post(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', admin.auth)
      .send({ kind: 'report', title: 'Shadow report', url: 'https://example.org/shadow' }).expect(201);
    await t.app.get(IntakeSettingsService).enable(admin.coalitionId, { slug: 'publica' }, null);
    const sent = await t.http.post('/api/v1/public/testimonies/publica').send({
      text: `${MARKER} was held`, consent: 'anonymised', language: 'es', place: 'Chile', themes: ['D25'], affectedPersons: ['Migrants'],
    }).expect(201);
    await t.http.post('/api/v1/public/testimonies/publica').send({ text: `${MARKER} other`, consent: 'internal', language: 'en' }).expect(201);
    const queue = await t.http.get('/api/v1/testimonies').set('Authorization', admin.auth).expect(200);
    [otherTestimonyId, testimonyId] = queue.body.items.map((item: { id: number }) => item.id);
    expect(sent.body.receipt).toBeTruthy();
    await t.http.patch(`/api/v1/testimonies/${testimonyId}`).set('Authorization', admin.auth)
      .send({ state: 'reviewed', themes: ['D25'], affectedPersons: ['detainees'] }).expect(200);
    await t.http.post(`/api/v1/testimonies/${testimonyId}/links`).set('Authorization', admin.auth).send({ recommendationIds: [recommendationId] }).expect(201);
    await t.http.put(`/api/v1/testimonies/${testimonyId}/excerpt`).set('Authorization', admin.auth).send({ text: 'Held nine days without a lawyer.' }).expect(200);
    await t.http.post(`/api/v1/cycles/${cycleId}/publish`).set('Authorization', admin.auth).expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("should show the testimony queue and a testimony's page in Spanish, with the themes named from the canonical list, and the English person's unchanged", async () => {
    const es = await WebClient.signIn(t, spanish.email);
    const en = await WebClient.signIn(t, english.email);
    for (const path of ['/testimonies', '/testimonies?state=reviewed', '/testimonies?theme=D2', `/testimonies/${testimonyId}`, `/testimonies/${testimonyId}?q=asylum`, `/testimonies/${otherTestimonyId}`]) {
      const [esPage, enPage] = [await es.send('GET', { path }), await en.send('GET', { path })];
      expect([esPage.status, enPage.status, htmlLang(esPage.text), htmlLang(enPage.text)]).toEqual([200, 200, 'es', 'en']);
      expect(esPage.text).not.toContain('<div lang="en">');
      // The page's words are Spanish; what the person wrote is shown as written (it is data).
      const withoutTestimony = (html: string) => html.replace(/<p class="testimony-text">[\s\S]*?<\/p>/g, '').replace(/<textarea[\s\S]*?<\/textarea>/g, '');
      expect({ path, ...englishLeft(withoutTestimony(esPage.text), withoutTestimony(enPage.text)) }).toEqual({ path, leftInEnglish: [], sameAsEnglishPage: [] });
    }
    const detail = (await en.send('GET', { path: `/testimonies/${testimonyId}` })).text;
    const texts = pageTexts(detail);
    // Tags and the person's choices by their names (UHRI's list), no longer by bare codes.
    expect(texts).toEqual(expect.arrayContaining(['Tagged themes', 'D25 Prohibition of torture and cruel, inhuman or degrading treatment', 'Tagged groups', 'Persons deprived of their liberty',
      'Themes the person chose', 'Groups of persons the person chose', 'Migrants', 'What happened', 'Linked recommendations', 'Anonymised excerpt', 'Save state and tags']));
    // (The triage form's field offers the tags as codes, as they are typed.)
    expect(pageTexts(detail.replace(/<textarea[\s\S]*?<\/textarea>/g, ''))).not.toContain('D25');
    expect(title(detail)).toBe(`Testimony ${testimonyId} · UPR follow-up`);
    const spanishDetail = (await es.send('GET', { path: `/testimonies/${testimonyId}` })).text;
    expect(pageTexts(spanishDetail)).toEqual(expect.arrayContaining(['Temas etiquetados', 'revisado', 'Puede citarse de forma anónima', 'Qué pasó', 'Recomendaciones vinculadas', 'Extracto anónimo']));
    expect(title(spanishDetail)).toBe(`Testimonio ${testimonyId} · Seguimiento del EPU`);

    // The forms' messages in each person's language.
    const flash = async (client: WebClient, form: Record<string, string>) => {
      const res = await client.send('POST', { path: `/testimonies/${testimonyId}/triage`, form });
      expect(res.status).toBe(303);
      return decodeURIComponent(/upr_flash=([^;]*)/.exec(String(res.headers['set-cookie']))?.[1] ?? '');
    };
    await expect(flash(es, { state: 'reviewed', themes: 'D25', affectedPersons: 'detainees' })).resolves.toBe(`Testimonio ${testimonyId}: estado revisado, etiquetas guardadas.`);
    await expect(flash(en, { state: 'reviewed', themes: 'D25', affectedPersons: 'detainees' })).resolves.toBe(`Testimony ${testimonyId}: state reviewed, tags saved.`);
  });

  it("should word the triage and link refusals in each coordinator's language", async () => {
    const es = await WebClient.signIn(t, spanish.email);
    const en = await WebClient.signIn(t, english.email);
    const formError = (html: string) => pageTexts((/<div class="form-error"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '') + [...html.matchAll(/<p class="field-error"[^>]*>[\s\S]*?<\/p>/g)].map((m) => m[0]).join('')).join(' ');
    const both = async (path: string, form: Record<string, string>) => {
      const [esRes, enRes] = [await es.send('POST', { path, form }), await en.send('POST', { path, form })];
      expect([esRes.status, enRes.status]).toEqual([422, 422]);
      return [formError(esRes.text), formError(enRes.text)];
    };
    // An unknown theme: named, with the closest themes.
    const [esTheme, enTheme] = await both(`/testimonies/${testimonyId}/triage`, { state: 'reviewed', themes: 'Tortura del mundo', affectedPersons: '' });
    expect(esTheme).toContain('«Tortura del mundo» no es un tema del IUDH.');
    expect(enTheme).toContain('Tortura del mundo');
    expect(esTheme).not.toMatch(/is not|unknown/i);
    // A recommendation that does not exist.
    const [esMissing] = await both(`/testimonies/${testimonyId}/links`, { recommendationIds: '99999999' });
    expect(esMissing).not.toMatch(/not found|Recommendation 99999999/);
    expect(esMissing.length).toBeGreaterThan(0);
  });

  it('should filter the queue by the coordinators\' tags, on the API and the page, as the recommendations are filtered (theme=, group=)', async () => {
    const ids = async (query: string) => (await t.http.get(`/api/v1/testimonies${query}`).set('Authorization', admin.auth).expect(200)).body.items.map((i: { id: number }) => i.id);
    // A code, a parent code (D2: the themes beneath it), a name; a group by its name or an alias.
    await expect(ids('?theme=D25')).resolves.toEqual([testimonyId]);
    await expect(ids('?theme=D2')).resolves.toEqual([testimonyId]);
    await expect(ids(`?theme=${encodeURIComponent('Prohibition of torture and cruel, inhuman or degrading treatment')}`)).resolves.toEqual([testimonyId]);
    await expect(ids('?group=detainees')).resolves.toEqual([testimonyId]);
    const { state } = (await t.http.get(`/api/v1/testimonies/${testimonyId}`).set('Authorization', admin.auth).expect(200)).body;
    await expect(ids(`?group=${encodeURIComponent('Persons deprived of their liberty')}&theme=D25&state=${state}`)).resolves.toEqual([testimonyId]);
    // Not matched: another theme, the person's own (sealed) choice Migrants, a wildcard, another state.
    await expect(ids('?theme=D3')).resolves.toEqual([]);
    await expect(ids('?group=Migrants')).resolves.toEqual([]);
    await expect(ids('?group=%25')).resolves.toEqual([]);
    await expect(ids('?theme=D25&state=new')).resolves.toEqual([]);
    await expect(ids('')).resolves.toEqual([otherTestimonyId, testimonyId]);
    const page = await (await WebClient.signIn(t, english.email)).send('GET', { path: '/testimonies?theme=D2&group=detainees' });
    expect(page.status).toBe(200);
    expect(pageTexts(page.text)).toEqual(expect.arrayContaining(['1 testimony.', `Testimony ${testimonyId}`]));
    expect(page.text).not.toContain(`/testimonies/${otherTestimonyId}"`);
    expect(page.text).toMatch(/id="theme" name="theme" type="text" value="D2"/);
  });

  it('should let a linked testimony\'s evidence item change its title only: never its testimony, kind, url or confidentiality, and never show the testimony', async () => {
    const list = await t.http.get(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', admin.auth).expect(200);
    const items = Array.isArray(list.body) ? list.body : list.body.items;
    const link = items.find((e: { testimonyId: number | null }) => e.testimonyId === testimonyId);
    expect(link).toMatchObject({ kind: 'testimony', confidential: true, url: null });
    for (const [field, value] of [['kind', 'report'], ['confidential', false], ['url', 'https://example.org/leak'], ['testimonyId', otherTestimonyId]] as const) {
      const refused = await t.http.patch(`/api/v1/evidence/${link.id}`).set('Authorization', admin.auth).send({ [field]: value }).expect(400);
      expect({ field, message: JSON.stringify(refused.body) }).toEqual({ field, message: expect.stringContaining(field) });
    }
    // The same values as it has are no change, and the title is the coordinators' caption.
    const renamed = await t.http.patch(`/api/v1/evidence/${link.id}`).set('Authorization', admin.auth).send({ title: 'Testimony on detention', kind: 'testimony', confidential: true }).expect(200);
    expect(renamed.body).toMatchObject({ id: link.id, title: 'Testimony on detention', kind: 'testimony', confidential: true, url: null, testimonyId });
    // Members are told it does not exist; nothing anywhere shows what the person wrote.
    const member = await t.createUser('member', coalition);
    await t.http.patch(`/api/v1/evidence/${link.id}`).set('Authorization', member.auth).send({ title: 'x' }).expect(404);
    const ledger = await t.http.get(`/ledger/${cycleId}`).expect(200);
    const answers = [renamed.text, (await t.http.get(`/api/v1/recommendations/${recommendationId}/evidence`).set('Authorization', admin.auth)).text, ledger.text];
    for (const text of answers) expect(text).not.toContain(MARKER);
    expect(ledger.text).not.toContain('Testimony on detention');
    expect(ledger.text).toContain('Held nine days without a lawyer.');
  });

  it('should show the public ledger in the language of ?lang=, else Accept-Language, with <html lang>, a language switcher and no English left', async () => {
    const cases: [string, string | undefined, string][] = [
      [`/ledger/${cycleId}?lang=es`, undefined, 'es'], [`/ledger/${cycleId}`, 'es-CL,es;q=0.9', 'es'], [`/ledger/${cycleId}?lang=en`, 'es', 'en'],
      [`/ledger/${cycleId}`, 'de', 'en'], [`/ledger/${cycleId}`, undefined, 'en'],
    ];
    for (const [path, accept, lang] of cases) {
      const req = t.http.get(path);
      if (accept) req.set('Accept-Language', accept);
      const res = await req.expect(200);
      expect({ path, accept, lang: htmlLang(res.text) }).toEqual({ path, accept, lang });
      // Still no cookie for a reader of the ledger.
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const [esPage, enPage] = [(await t.http.get(`/ledger/${cycleId}?lang=es`).expect(200)).text, (await t.http.get(`/ledger/${cycleId}`).expect(200)).text];
    expect(englishLeft(esPage, enPage)).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
    expect(title(esPage)).toBe('Registro público: Chile, ciclo 4 (EPU) · Seguimiento del EPU');
    expect(title(enPage)).toBe('Public ledger: Chile, UPR cycle 4 · UPR follow-up');
    expect(pageTexts(enPage)).toEqual(expect.arrayContaining(['Implementation status', 'Supported', 'From testimonies', 'Held nine days without a lawyer.', 'Shadow report']));
    expect(pageTexts(esPage)).toEqual(expect.arrayContaining(['Estado de aplicación', 'Aceptada', 'De los testimonios', 'Held nine days without a lawyer.']));
    // The switcher: each language named in itself, the current one marked.
    for (const [html, current] of [[esPage, 'es'], [enPage, 'en']] as const) {
      const nav = /<nav aria-label="[^"]*" class="language-switcher">[\s\S]*?<\/nav>/.exec(html.replace(/&#x3D;/g, '='))?.[0] ?? '';
      expect(nav).toContain(`<a href="/ledger/${cycleId}?lang=es" lang="es" hreflang="es" ${current === 'es' ? 'aria-current="true"' : ''}>Español</a>`);
      expect(nav).toContain(`<a href="/ledger/${cycleId}?lang=en" lang="en" hreflang="en" ${current === 'en' ? 'aria-current="true"' : ''}>English</a>`);
    }
    // A Spanish person signed in reads it in Spanish.
    const signedIn = await (await WebClient.signIn(t, spanish.email)).send('GET', { path: `/ledger/${cycleId}` });
    expect(htmlLang(signedIn.text)).toBe('es');
  });

  it('should show the error pages in the language of the signed-in person, and signed out of ?lang= or Accept-Language', async () => {
    const es = await WebClient.signIn(t, spanish.email);
    const en = await WebClient.signIn(t, english.email);
    const [esPage, enPage] = [await es.send('GET', { path: '/testimonies/999999' }), await en.send('GET', { path: '/testimonies/999999' })];
    expect([esPage.status, enPage.status, htmlLang(esPage.text), htmlLang(enPage.text)]).toEqual([404, 404, 'es', 'en']);
    expect(englishLeft(esPage.text, enPage.text)).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
    expect(pageTexts(enPage.text)).toEqual(expect.arrayContaining(['Not found', 'Testimony 999999 was not found', 'Go to the dashboard']));
    expect(pageTexts(esPage.text)).toEqual(expect.arrayContaining(['No encontrado', APP.es.get('errorPage.messages.404'), 'Ir al panel']));
    expect(title(esPage.text)).toBe('No encontrado · Seguimiento del EPU');

    const outEs = await t.http.get('/ledger/999999').set('Accept-Language', 'es-MX,es;q=0.9').expect(404);
    const outEn = await t.http.get('/ledger/999999').expect(404);
    expect([htmlLang(outEs.text), htmlLang(outEn.text)]).toEqual(['es', 'en']);
    expect(englishLeft(outEs.text, outEn.text)).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
    expect(pageTexts(outEn.text)).toContain('Public ledger 999999 was not found');
    expect(htmlLang((await t.http.get('/ledger/999999?lang=es').expect(404)).text)).toBe('es');
    expect(outEs.headers['set-cookie']).toBeUndefined();
  });

  it('should show the password pages and an invitation signed out in Spanish by Accept-Language or ?lang=, their refusals too, and English unchanged', async () => {
    const get = (path: string, accept?: string) => (accept ? t.http.get(path).set('Accept-Language', accept) : t.http.get(path));
    for (const path of ['/password/forgot', '/password/reset/upr_never-sent', '/invitations/upr_never-sent']) {
      const [esPage, enPage] = [await get(path, 'es'), await get(path)];
      expect({ path, statuses: [esPage.status, enPage.status], langs: [htmlLang(esPage.text), htmlLang(enPage.text)] }).toEqual({ path, statuses: [esPage.status, esPage.status], langs: ['es', 'en'] });
      expect({ path, ...englishLeft(esPage.text, enPage.text) }).toEqual({ path, leftInEnglish: [], sameAsEnglishPage: [] });
      expect(htmlLang((await get(`${path}?lang=es`, 'en')).text)).toBe('es');
    }
    const refused = (await get('/password/reset/upr_never-sent')).text;
    expect(pageTexts(refused)).toEqual(expect.arrayContaining(['This reset link cannot be used', 'This link is not valid. Check that you opened the whole link from the email.', 'Ask for a new link.']));
    expect(title(refused)).toBe('This reset link cannot be used · UPR follow-up');
    expect(title((await get('/password/forgot', 'es')).text)).toBe('¿Olvidó su contraseña? · Seguimiento del EPU');

    // "Forgot your password?": the form and its answer keep ?lang=.
    const visitor = WebClient.visitor(t);
    const forgot = await visitor.send('POST', { path: '/password/forgot?lang=es', form: { email: 'nobody@example.org' } });
    const forgotEn = await visitor.send('POST', { path: '/password/forgot', form: { email: 'nobody@example.org' } });
    expect([forgot.status, htmlLang(forgot.text)]).toEqual([200, 'es']);
    expect(englishLeft(forgot.text, forgotEn.text)).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
    expect(forgot.text).toContain('Si existe una cuenta para <strong>nobody@example.org</strong>, le hemos enviado');
    expect(forgotEn.text).toContain('If an account exists for <strong>nobody@example.org</strong>, we sent it a link');
    const bad = await visitor.send('POST', { path: '/password/forgot?lang=es', form: { email: 'not an address' } });
    expect([bad.status, htmlLang(bad.text)]).toEqual([422, 'es']);
    expect(bad.text).toContain(APP.es.get('accountPages.fieldErrors.email'));

    // A valid link: a Spanish account's page is Spanish even to an English browser; an English account's follows the browser.
    const issue = async (user: TestUser, purpose: 'invitation' | 'password_reset') => {
      const token = `upr_${randomBytes(16).toString('hex')}`;
      await t.app.get(AccountLinksRepository).insertLink({ userId: user.id, purpose, tokenHash: hashToken(token), expiresAt: new Date(t.clock.now().getTime() + 3_600_000) }, t.dataSource.manager);
      return token;
    };
    const invited = await t.createUser('member', coalition);
    await t.dataSource.query(`UPDATE app_user SET sign_in_email = NULL, language = 'es' WHERE id = ${invited.id}`);
    const invitation = await issue(invited, 'invitation');
    const [invEs, invEn] = [await get(`/invitations/${invitation}`, 'en'), await get(`/invitations/${invitation}?lang=en`)];
    expect([invEs.status, htmlLang(invEs.text), htmlLang(invEn.text)]).toEqual([200, 'es', 'en']);
    expect(englishLeft(invEs.text, invEn.text)).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
    expect(invEs.text.replace(/&#x3D;/g, '=')).toContain(`action="/invitations/${invitation}?lang=es"`);
    expect(title(invEn.text)).toBe('Welcome: choose your password · UPR follow-up');
    const reset = await issue(english, 'password_reset');
    const [resetEs, resetEn] = [await get(`/password/reset/${reset}`, 'es'), await get(`/password/reset/${reset}`)];
    expect([resetEs.status, htmlLang(resetEs.text), htmlLang(resetEn.text)]).toEqual([200, 'es', 'en']);
    expect(englishLeft(resetEs.text, resetEn.text)).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
    expect(pageTexts(resetEn.text)).toEqual(expect.arrayContaining(['Choose a new password', 'New password', 'Repeat the password', 'Change password and sign in']));
    // Its refusal beside the field, in the page's language.
    const mismatch = await visitor.send('POST', { path: `/invitations/${invitation}`, form: { password: 'a long enough password', confirmation: 'another long password' } });
    expect([mismatch.status, htmlLang(mismatch.text)]).toEqual([422, 'es']);
    expect(mismatch.text).toContain(`id="confirmation-error">${APP.es.get('accountPages.fieldErrors.confirmation')}`);
    // Accepted: the welcome in the account's language.
    const accepted = await visitor.send('POST', { path: `/invitations/${invitation}?lang=es`, form: { password: 'a long enough password', confirmation: 'a long enough password' } });
    expect(accepted.status).toBe(303);
    expect(decodeURIComponent(/upr_flash=([^;]*)/.exec(String(accepted.headers['set-cookie']))?.[1] ?? '')).toMatch(/^Le damos la bienvenida, .*Su contraseña está guardada/);
  });

  it('should show the one-time setup page in Spanish by Accept-Language, and make the first admin a Spanish speaker', async () => {
    const fresh = await startWebApp();
    try {
      const [esPage, enPage] = [await fresh.http.get('/setup').set('Accept-Language', 'es-ES').expect(200), await fresh.http.get('/setup').expect(200)];
      expect([htmlLang(esPage.text), htmlLang(enPage.text)]).toEqual(['es', 'en']);
      expect(englishLeft(esPage.text, enPage.text)).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
      expect(title(enPage.text)).toBe('Set up upr-followup · UPR follow-up');
      expect(pageTexts(esPage.text)).toEqual(expect.arrayContaining(['Configurar upr-followup', 'Código de configuración', 'Personas']));
      // The setup form's own token and cookie (no sign-in page exists yet to read them from).
      const cookie = ([] as string[]).concat(esPage.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(esPage.text)![1].replace(/&#x3D;/g, '=');
      const post = (form: Record<string, string>) => fresh.http.post('/setup?lang=es').set('Cookie', cookie).type('form').send(new URLSearchParams({ ...form, _csrf: csrf }).toString());
      const form = { coalition: 'Coalición Sur', name: 'Marta Ruiz', email: 'marta@sur.example.org', password: 'a long enough password', confirmation: 'a long enough password' };
      const wrong = await post({ ...form, code: 'ABCD-EFGH' });
      expect([wrong.status, htmlLang(wrong.text)]).toEqual([422, 'es']);
      expect(wrong.text).toContain(`id="code-error">${APP.es.get('accountPages.fieldErrors.code')}`);
      const done = await post({ ...form, code: fresh.app.get(SetupCode).value });
      expect(done.status).toBe(303);
      expect(decodeURIComponent(/upr_flash=([^;]*)/.exec(String(done.headers['set-cookie']))?.[1] ?? '')).toBe(
        'Le damos la bienvenida, Marta Ruiz. Coalición Sur está configurada y usted es su administradora: invite a otras personas desde Personas.');
      const [row] = await fresh.dataSource.query("SELECT language FROM app_user WHERE email = 'marta@sur.example.org'");
      expect(row.language).toBe('es');
    } finally {
      await fresh.close();
    }
  });

  it("should give each person's calendar feed in their language, the English feed's words as they were", async () => {
    await t.http.post('/api/v1/deadlines').set('Authorization', admin.auth)
      .send({ recommendationId, kind: 'evidence_due', dueDate: '2026-12-09', timeZone: 'UTC', assigneeIds: [spanish.id, english.id] }).expect(201);
    const feed = async (user: TestUser) => {
      const url = await t.app.get(CalendarFeedService).urlFor({ id: user.id, coalitionId: user.coalitionId } as AuthUser);
      const res = await t.http.get(new URL(url).pathname).expect(200);
      return res.text.replace(/\r\n[ \t]/g, '');
    };
    const [es, en] = [await feed(spanish), await feed(english)];
    expect(en).toContain('X-WR-CALNAME:UPR follow-up: my deadlines');
    expect(en).toContain('SUMMARY:Evidence due (Chile\\, UPR cycle 4)');
    expect(en).toContain('DESCRIPTION:Chile\\, UPR cycle 4. Recommendation 26.7');
    expect(es).toContain('X-WR-CALNAME:Seguimiento del EPU: mis plazos');
    expect(es).toContain('SUMMARY:Plazo de pruebas (Chile\\, ciclo 4 (EPU))');
    expect(es).toContain('DESCRIPTION:Chile\\, ciclo 4 (EPU). Recomendación 26.7');
    for (const text of [es, en]) expect(text).not.toContain(MARKER);
  });

  it('should walk the Spanish testimony, ledger, error and password pages in a real browser, switch the ledger\'s language, with axe finding no serious violation', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const context = await browser.newContext({ locale: 'es-ES' });
      const page = await context.newPage();
      await page.goto(`${t.baseUrl}/ledger/${cycleId}`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
      await expect(page.getByRole('heading', { name: 'Estado de aplicación' }).count()).resolves.toBe(1);
      await expect(seriousA11yViolations(page)).resolves.toEqual([]);
      await page.getByRole('navigation', { name: 'Idioma' }).getByRole('link', { name: 'English' }).click();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await expect(page.getByRole('heading', { name: 'Implementation status' }).count()).resolves.toBe(1);
      await expect(page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Español' }).getAttribute('hreflang')).resolves.toBe('es');
      await expect(seriousA11yViolations(page)).resolves.toEqual([]);

      await page.goto(`${t.baseUrl}/password/forgot`);
      await expect(page.locator('h1').textContent()).resolves.toBe('¿Olvidó su contraseña?');
      await expect(seriousA11yViolations(page)).resolves.toEqual([]);
      await page.getByLabel('Correo electrónico').fill('nadie@example.org');
      await page.getByRole('button', { name: 'Enviarme un enlace' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Revise su correo electrónico');
      await expect(seriousA11yViolations(page)).resolves.toEqual([]);

      // Signed in as the Spanish coordinator: the queue filtered by a tag, a testimony, a 404.
      await page.goto(`${t.baseUrl}/login`);
      await page.getByLabel('Correo electrónico').fill(spanish.email);
      await page.getByLabel('Contraseña').fill(PASSWORD);
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await page.getByRole('link', { name: 'Testimonios' }).click();
      await page.getByLabel('Etiqueta de tema (código, nombre o alias del UHRI)').fill('D2');
      await page.getByRole('button', { name: 'Filtrar' }).click();
      await expect(page.getByText('1 testimonio.').count()).resolves.toBe(1);
      await expect(seriousA11yViolations(page)).resolves.toEqual([]);
      await page.getByRole('link', { name: `Testimonio ${testimonyId}` }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe(`Testimonio ${testimonyId}`);
      await expect(page.getByRole('heading', { name: 'Recomendaciones vinculadas' }).count()).resolves.toBe(1);
      await expect(seriousA11yViolations(page)).resolves.toEqual([]);
      const missing = await page.goto(`${t.baseUrl}/testimonies/999999`);
      expect(missing?.status()).toBe(404);
      await expect(page.locator('h1').textContent()).resolves.toBe('No encontrado');
      await expect(seriousA11yViolations(page)).resolves.toEqual([]);
      await context.close();
    } finally {
      await browser?.close();
    }
  });

  it('should queue the "new testimony" email in each recipient\'s language, with nothing of the testimony', async () => {
    const rows: { recipient_id: number; payload: string }[] = await t.dataSource.query("SELECT recipient_id, payload FROM notification WHERE kind = 'account_email'");
    const notices = rows.map((r) => ({ recipientId: Number(r.recipient_id), ...(JSON.parse(r.payload) as { subject: string; text: string; html: string }) }));
    const toSpanish = notices.filter((n) => n.recipientId === spanish.id);
    const toEnglish = notices.filter((n) => n.recipientId === english.id);
    expect([toSpanish.length, toEnglish.length]).toEqual([2, 2]);
    for (const n of toSpanish) {
      expect(n.subject).toBe('Ha llegado un testimonio nuevo');
      expect(n.text).toBe(`Hola, Ana Pérez:\n\nHa llegado un testimonio nuevo por el formulario del EPU del Pueblo de ${coalition}.\n\nLéalo en la cola (solo coordinación y administración):\n` +
        `${t.config.http.appUrl}/testimonies/${n.text.match(/testimonies\/(\d+)/)![1]}\n\nEste correo no contiene nada de lo que dice. Su lectura queda registrada en el registro de auditoría.\n`);
    }
    for (const n of toEnglish) {
      // Exactly the English email as it was before it was translated.
      const id = n.text.match(/testimonies\/(\d+)/)![1];
      expect(n.subject).toBe('A new testimony arrived');
      expect(n.text).toBe(`Hello John Smith,\n\nA new testimony arrived through the People's UPR intake of ${coalition}.\n\nRead it in the queue (coordinators and admins only):\n` +
        `${t.config.http.appUrl}/testimonies/${id}\n\nNothing of what it says is in this email. Reading it is recorded in the audit trail.\n`);
      const P = '<p style="font-family:sans-serif">';
      expect(n.html).toBe(`${P}Hello John Smith,</p>\n${P}A new testimony arrived through the People's UPR intake of ${coalition}.</p>\n` +
        `${P}<a href="${t.config.http.appUrl}/testimonies/${id}">Read it in the queue</a> (coordinators and admins only)</p>\n${P}Nothing of what it says is in this email. Reading it is recorded in the audit trail.</p>\n`);
    }
    for (const n of notices) for (const part of [n.subject, n.text, n.html]) expect(part).not.toContain(MARKER);
  });
});

/** The calendar attached to reminder emails (deadline-calendar.ts), in the recipient's language. */
describe("A deadline's calendar invitation in the recipient's language (issue 13)", () => {
  const payload = (title: string | null, withRecommendation: boolean, named = true): DeadlinePayload => ({
    deadline: { id: 7, version: 2, kind: 'evidence_due', title, dueDate: '2027-03-10', dueTime: '17:00', timeZone: 'UTC', dueAt: '2027-03-10T17:00:00.000Z' },
    recommendation: withRecommendation ? { id: 12, paragraph: '26.7', excerpt: 'End the mandatory detention of asylum seekers' } : null,
    cycle: named ? { id: 3, label: 'Chile, UPR cycle 4', mechanism: 'upr', number: 4, stateUnderReview: 'Chile' } : { id: 3, label: 'Chile, UPR cycle 4' },
  });
  const withoutStamp = (text: string) => text.replace(/^DTSTAMP:.*$/m, 'DTSTAMP:-');
  const unfolded = (text: string) => text.replace(/\r\n[ \t]/g, '');
  const [en, es] = [new AppLabels(translator(), 'en'), new AppLabels(translator(), 'es')];

  it('should make the English invitation exactly as before, and the Spanish one with no English words', () => {
    for (const [title, withRecommendation, named] of [[null, true, true], ['Court statistics', false, true], [null, false, false], ['Court statistics', true, false]] as const) {
      const before = deadlineCalendar(payload(title, withRecommendation, named), 'tracker.example.org', 'https://tracker.example.org', false);
      expect(withoutStamp(deadlineCalendar(payload(title, withRecommendation, named), 'tracker.example.org', 'https://tracker.example.org', false, en))).toBe(withoutStamp(before));
    }
    const spanish = unfolded(deadlineCalendar(payload(null, true), 'tracker.example.org', 'https://tracker.example.org', true, es));
    expect(spanish).toContain('SUMMARY:Plazo de pruebas (Chile\\, ciclo 4 (EPU))');
    expect(spanish).toContain('DESCRIPTION:Chile\\, ciclo 4 (EPU). Recomendación 26.7: End the mandatory detention of asylum seekers');
    expect(spanish).toContain('METHOD:CANCEL');
    expect(spanish).not.toMatch(/Evidence due|Recommendation|UPR cycle/);
    // A notice queued before the cycle's names were kept: its English label, the rest in Spanish.
    expect(unfolded(deadlineCalendar(payload('Court statistics', false, false), 'h', 'https://h', false, es))).toContain('SUMMARY:Plazo de pruebas: Court statistics');
  });

  it('should keep one calendar text per language for all the assignees of a deadline', () => {
    const make = jest.fn(deadlineCalendar);
    const texts = new CalendarTexts('tracker.example.org', 1000, 10 * 60_000, make);
    const stored = JSON.stringify(payload(null, true));
    const now = new Date(Date.UTC(2027, 2, 9, 9, 0));
    const [first, again, spanish] = [texts.get(stored, 'https://t', false, now, en), texts.get(stored, 'https://t', false, now, en), texts.get(stored, 'https://t', false, now, es)];
    expect(again).toBe(first);
    expect(make).toHaveBeenCalledTimes(2);
    expect(unfolded(spanish)).toContain('Plazo de pruebas');
    expect(unfolded(first)).toContain('Evidence due');
  });
});
