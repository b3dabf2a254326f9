import type { Browser } from 'playwright-core';
import { LANGUAGE_NAMES } from '../../src/i18n/i18n';
import { launchBrowser, PASSWORD, seriousA11yViolations, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';
import { pageTexts } from '../support/testify-pages';
import { APP, englishLeftOf } from '../support/spanish-pages';
import { WebClient } from '../support/web-session';

const htmlLang = (html: string) => /<html lang="([^"]*)">/.exec(html)?.[1];
/** The piece as words of the text, not inside a longer word. */
/** What the test typed (names, recommendations, deadline titles) is shown as typed, in any language. */
const DATA = ['Ana Pérez', 'John Smith', 'Luisa Gómez', 'Adopt a national action plan', 'Ratify the Escazú Agreement', 'Chile', 'Hearing prep', 'Audit prep', 'Started', 'Shadow report', 'Witness notes'];
/** Also the same in every language: times, time zones (IANA names), each language's name in itself. */
const isData = (text: string) =>
  DATA.some((d) => text.includes(d)) || /^[\d\s:.,#·→()\-–UTC]+$/.test(text) || /@/.test(text) || /^[A-Za-z_]+\/[\w/+-]+$/.test(text) || Object.values(LANGUAGE_NAMES).includes(text);

/** The catalogue's English texts found in a Spanish page, and its texts identical to the English page's (test/support/spanish-pages.ts). */
const englishLeft = englishLeftOf(isData);

/**
 * The signed-in application in Spanish (issue 13): a person's language preference (API and
 * settings page), the pages translated so far with no English left, the sign-in page's language
 * from Accept-Language or ?lang=, the API's JSON still English, and a real browser walking the
 * pages with axe.
 */
describe('The signed-in application in Spanish (issue 13)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let spanish: TestUser;
  let english: TestUser;
  let cycleId: number;
  /** The recommendation owned by the Spanish person (paragraph 125.3). */
  let spanishRecId: number;
  let admin: TestUser;
  let spanishAdmin: TestUser;
  const coalition = 'Coalition Idiomas';

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
    browser = await launchBrowser();
    admin = await t.createUser('admin', coalition);
    spanish = await t.createUser('coordinator', coalition);
    english = await t.createUser('coordinator', coalition);
    await t.dataSource.query(`UPDATE app_user SET name = 'Ana Pérez' WHERE id = ${spanish.id}`);
    await t.dataSource.query(`UPDATE app_user SET name = 'John Smith' WHERE id IN (${english.id}, ${admin.id})`);
    spanishAdmin = await t.createUser('admin', coalition);
    await t.dataSource.query(`UPDATE app_user SET name = 'Luisa Gómez' WHERE id = ${spanishAdmin.id}`);
    await t.http.patch('/api/v1/me/preferences').set('Authorization', spanishAdmin.auth).send({ language: 'es' }).expect(200);
    // The same work for both (the test clock stands at 2026-11-29 12:00 UTC), so their pages differ only by language.
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number: 4, stateUnderReview: 'Chile', session: '46' }).expect(201);
    cycleId = cycle.body.id;
    for (const [person, text] of [[spanish, 'Adopt a national action plan'], [english, 'Ratify the Escazú Agreement']] as const) {
      const rec = await t.http.post(`/api/v1/cycles/${cycle.body.id}/recommendations`).set('Authorization', admin.auth)
        .send({ paragraph: person === spanish ? '125.3' : '125.4', text, ownerIds: [person.id] }).expect(201);
      if (person === spanish) spanishRecId = rec.body.id;
      const deadline = (body: object) => t.http.post('/api/v1/deadlines').set('Authorization', admin.auth).send({ timeZone: 'UTC', assigneeIds: [person.id], ...body }).expect(201);
      await deadline({ recommendationId: rec.body.id, kind: 'evidence_due', dueDate: '2026-12-09' });
      await deadline({ cycleId: cycle.body.id, kind: 'hearing', title: 'Hearing prep', dueDate: '2026-12-02' });
      await deadline({ cycleId: cycle.body.id, kind: 'mid_term_report', dueDate: '2026-11-20' });
      await t.http.post(`/api/v1/recommendations/${rec.body.id}/status`).set('Authorization', admin.auth).send({ status: 'in_progress', note: 'Started', evidenceIds: [] }).expect(201);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should keep the language as a preference: English by default, set through /me/preferences, a 400 naming a value it does not have', async () => {
    const before = await t.http.get('/api/v1/me/preferences').set('Authorization', spanish.auth).expect(200);
    expect(before.body.language).toBe('en');
    for (const language of ['fr', 'ES', '']) {
      const refused = await t.http.patch('/api/v1/me/preferences').set('Authorization', spanish.auth).send({ language, digestHour: 7 }).expect(400);
      expect(JSON.stringify(refused.body)).toContain(`language must be one of: en, es (got \\"${language}\\")`);
    }
    // Nothing half-written: the digest hour sent with the bad language is not saved either.
    expect((await t.http.get('/api/v1/me/preferences').set('Authorization', spanish.auth).expect(200)).body).toEqual(before.body);
    const saved = await t.http.patch('/api/v1/me/preferences').set('Authorization', spanish.auth).send({ language: 'es' }).expect(200);
    expect(saved.body).toMatchObject({ language: 'es', timeZone: before.body.timeZone });
    // The API's JSON stays English, whatever the person's language.
    const again = await t.http.get('/api/v1/me/preferences').set('Authorization', spanish.auth).expect(200);
    expect(again.body).toMatchObject({ language: 'es', criticalNotices: 'Overdue notices for deadlines assigned to you are always sent.' });
    const list = await t.http.get('/api/v1/recommendations?status=in_progress').set('Authorization', spanish.auth).expect(200);
    expect(JSON.stringify(list.body)).not.toMatch(/En curso|Recomendaci/);
  });

  it('should show the dashboard, the settings page and the recommendations list in Spanish, with <html lang="es"> and no English left', async () => {
    const es = await WebClient.signIn(t, spanish.email);
    const en = await WebClient.signIn(t, english.email);
    for (const path of ['/', '/settings', '/?cycle=999999', '/recommendations', `/recommendations?status=in_progress&ownerId=${spanish.id}`, '/recommendations?q=nothing-matches-this', '/cycles', `/cycles/${cycleId}`]) {
      const [esPage, enPage] = [await es.send('GET', { path }), await en.send('GET', { path })];
      expect([esPage.status, enPage.status]).toEqual([200, 200]);
      expect([htmlLang(esPage.text), htmlLang(enPage.text)]).toEqual(['es', 'en']);
      expect({ path, ...englishLeft(esPage.text, enPage.text) }).toEqual({ path, leftInEnglish: [], sameAsEnglishPage: [] });
    }
    const dashboard = pageTexts((await es.send('GET', { path: '/' })).text).join('\n');
    // Statuses, cycles and deadlines by their Spanish names; what was typed as typed.
    for (const text of ['En curso', 'Chile, ciclo 4 (EPU)', 'Plazo de pruebas (Chile, ciclo 4 (EPU))', 'Audiencia: Hearing prep', 'Plazo del informe de mitad de período (Chile, ciclo 4 (EPU))', 'Le damos la bienvenida, Ana Pérez.', 'Ana Pérez (coordinación)']) {
      expect({ text, found: dashboard.includes(text) }).toEqual({ text, found: true });
    }
  });

  it('should show the people page and the outbox of admins in Spanish, with no English left', async () => {
    const es = await WebClient.signIn(t, spanishAdmin.email);
    const en = await WebClient.signIn(t, admin.email);
    for (const path of ['/people', '/outbox', '/outbox?state=failed', `/cycles/${cycleId}`]) {
      const [esPage, enPage] = [await es.send('GET', { path }), await en.send('GET', { path })];
      expect([esPage.status, enPage.status, htmlLang(esPage.text)]).toEqual([200, 200, 'es']);
      expect({ path, ...englishLeft(esPage.text, enPage.text) }).toEqual({ path, leftInEnglish: [], sameAsEnglishPage: [] });
    }
    const esPage = await es.send('GET', { path: '/people' });
    expect(pageTexts(esPage.text)).toEqual(expect.arrayContaining(['Personas de la coalición', 'coordinación', 'Activa']));
  });

  it('should show a recommendation page in Spanish (record, history, changes, evidence, deadlines, lineage, its refusals and messages), the English person the same page in English', async () => {
    // The same recommendation in two earlier cycles: the nearer one confirmed as its predecessor, the other left as a suggestion.
    const earlier: number[] = [];
    for (const number of [2, 3]) {
      const cycle = await t.http.post('/api/v1/cycles').set('Authorization', admin.auth).send({ number, stateUnderReview: 'Chile', session: `3${number}` }).expect(201);
      const rec = await t.http.post(`/api/v1/cycles/${cycle.body.id}/recommendations`).set('Authorization', admin.auth)
        .send({ paragraph: `9${number}.1`, text: 'Adopt a national action plan' }).expect(201);
      earlier.push(rec.body.id);
    }
    await t.http.get(`/api/v1/recommendations/${spanishRecId}/lineage`).set('Authorization', admin.auth).expect(200);
    await t.http.post(`/api/v1/recommendations/${spanishRecId}/lineage`).set('Authorization', admin.auth).send({ candidateId: earlier[1], decision: 'confirm' }).expect(200);
    for (const [title, confidential] of [['Shadow report', false], ['Witness notes', true]] as const) {
      await t.http.post(`/api/v1/recommendations/${spanishRecId}/evidence`).set('Authorization', admin.auth)
        .send({ kind: confidential ? 'document' : 'report', title, url: 'https://example.org/shadow', confidential }).expect(201);
    }
    const path = `/recommendations/${spanishRecId}`;
    const es = await WebClient.signIn(t, spanish.email);
    const en = await WebClient.signIn(t, english.email);
    const [esPage, enPage] = [await es.send('GET', { path }), await en.send('GET', { path })];
    expect([esPage.status, enPage.status, htmlLang(esPage.text), htmlLang(enPage.text)]).toEqual([200, 200, 'es', 'en']);
    // Every section shows something (so that each is checked), as the English person sees it.
    const englishTexts = pageTexts(enPage.text);
    for (const text of ['Earlier cycles', 'Possible predecessors', 'Shadow report', 'Witness notes', 'confidential', 'Evidence due', 'Started', 'Status changed', 'Predecessor confirmed', 'Change the status', 'Add a deadline', 'Add evidence']) {
      expect({ text, found: englishTexts.includes(text) }).toEqual({ text, found: true });
    }
    expect(esPage.text).not.toContain('<div lang="en">');
    // The audit entries' before and after are the values as stored (codes, ids, typed text), the same in every language.
    const withoutValues = (html: string) => html.replace(/<(del|ins)>[\s\S]*?<\/\1>/g, '');
    expect(englishLeft(withoutValues(esPage.text), withoutValues(enPage.text))).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
    const spanishTexts = pageTexts(esPage.text);
    for (const text of ['Recomendación 125.3', 'Chile, ciclo 4 (EPU)', 'Pruebas', 'Plazos', 'Plazo de pruebas', 'Ciclos anteriores', 'Posibles predecesoras', 'Cambiar el estado de aplicación', 'Predecesora confirmada']) {
      expect({ text, found: spanishTexts.includes(text) }).toEqual({ text, found: true });
    }

    // A refusal next to its field, in each person's language; nothing is written.
    const form = { status: 'partially_implemented', note: 'Started' };
    const [esRefused, enRefused] = [await es.send('POST', { path: `${path}/status`, form }), await en.send('POST', { path: `${path}/status`, form })];
    expect([esRefused.status, enRefused.status]).toEqual([422, 422]);
    expect(esRefused.text).toMatch(/id="status-evidence-error">«Parcialmente implementada» requiere al menos una prueba/);
    expect(enRefused.text).toMatch(/id="status-evidence-error">Partially implemented needs at least one piece of evidence/);
    expect(englishLeft(withoutValues(esRefused.text), withoutValues(enRefused.text))).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
    expect((await t.http.get(`/api/v1/recommendations/${spanishRecId}`).set('Authorization', admin.auth).expect(200)).body.status).toBe('in_progress');

    // The messages after a form, in each person's language.
    const flash = async (client: WebClient, action: string) => {
      const res = await client.send('POST', { path: `${path}/${action}` });
      expect(res.status).toBe(303);
      return decodeURIComponent(/upr_flash=([^;]*)/.exec(String(res.headers['set-cookie']))?.[1] ?? '');
    };
    await expect(flash(es, 'follow')).resolves.toBe('Sigue esta recomendación: sus cambios le llegarán por correo electrónico.');
    await expect(flash(en, 'follow')).resolves.toBe('You follow this recommendation: its changes will reach you by email.');
    await expect(flash(es, 'unfollow')).resolves.toBe('Ha dejado de seguir esta recomendación.');
    await expect(flash(en, 'unfollow')).resolves.toBe('You no longer follow this recommendation.');
  });

  it('should show the English person exactly the English words they saw before', async () => {
    const page = pageTexts((await (await WebClient.signIn(t, english.email)).send('GET', { path: '/' })).text).join('\n');
    for (const text of ['Dashboard', 'Welcome, John Smith.', 'In progress', 'Evidence due (Chile, UPR cycle 4)', 'Hearing: Hearing prep', 'Mid-term report due (Chile, UPR cycle 4)', 'John Smith (coordinator)', 'Skip to main content']) {
      expect({ text, found: page.includes(text) }).toEqual({ text, found: true });
    }
  });

  it('should show the sign-in page in the language of ?lang=, else of Accept-Language, else English, its refusal too', async () => {
    const cases: [string, string | undefined, string][] = [
      ['/login?lang=es', undefined, 'es'], ['/login', 'es-MX,es;q=0.9,en;q=0.5', 'es'], ['/login', 'de, es;q=0.4', 'es'],
      ['/login', 'de', 'en'], ['/login?lang=fr', 'en', 'en'], ['/login?lang=en', 'es', 'en'], ['/login', undefined, 'en'],
    ];
    for (const [path, accept, lang] of cases) {
      const req = t.http.get(path);
      if (accept) req.set('Accept-Language', accept);
      const res = await req.expect(200);
      expect({ path, accept, lang: htmlLang(res.text) }).toEqual({ path, accept, lang });
    }
    const visitor = WebClient.visitor(t);
    const englishPage = (await t.http.get('/login').expect(200)).text;
    expect({ ...englishLeft((await t.http.get('/login?lang=es').expect(200)).text, englishPage) }).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
    const refused = await visitor.send('POST', { path: '/login?lang=es', form: { email: spanish.email, password: 'not the password' } });
    expect(refused.status).toBe(422);
    expect(htmlLang(refused.text)).toBe('es');
    expect(refused.text).toContain(APP.es.get('signIn.refused'));
    const refusedInEnglish = await visitor.send('POST', { path: '/login', form: { email: spanish.email, password: 'not the password' } });
    expect({ ...englishLeft(refused.text, refusedInEnglish.text) }).toEqual({ leftInEnglish: [], sameAsEnglishPage: [] });
  });

  it('should refuse on the settings page a language it does not have, naming it next to the field, and save nothing', async () => {
    const es = await WebClient.signIn(t, spanish.email);
    const res = await es.send('POST', { path: '/settings', form: { reminders: 'off', statusChanges: 'immediate', digestHour: '9', timeZone: 'UTC', language: 'de' } });
    expect(res.status).toBe(422);
    // The API's rule (language must be one of: en, es), in the person's words.
    expect(res.text).toMatch(/id="language-error">Elija uno de estos valores: en, es\.</);
    expect((await t.http.get('/api/v1/me/preferences').set('Authorization', spanish.auth).expect(200)).body).toMatchObject({ language: 'es' });
    expect((await t.http.get('/api/v1/me/preferences').set('Authorization', spanish.auth).expect(200)).body.reminders).not.toBe('off');
  });

  it('should walk the translated pages in a real browser as a Spanish person, with axe finding no serious violation, and switch language in the settings', async () => {
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/login`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(page.locator('h1').textContent()).resolves.toBe('Iniciar sesión');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await page.getByLabel('Correo electrónico').fill(spanish.email);
    await page.getByLabel('Contraseña').fill(PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    await expect(page.locator('h1').textContent()).resolves.toBe('Panel');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(page.getByRole('link', { name: 'Ir al contenido principal' }).count()).resolves.toBe(1);
    await expect(page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Recomendaciones' }).count()).resolves.toBe(1);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByRole('link', { name: 'Mis ajustes' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Mis ajustes');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.getByRole('link', { name: 'Recomendaciones' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Recomendaciones');
    await page.getByLabel('Estado de aplicación').selectOption('in_progress');
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await expect(page.locator('#result-count').textContent()).resolves.toMatch(/2 recomendaciones encontradas/);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    // Coordinators' bulk action, its message in Spanish.
    await page.getByLabel('Seleccionar todas las de esta página').check();
    await page.getByRole('group', { name: 'Asignar responsables' }).getByLabel('Ana Pérez').check();
    await page.getByRole('button', { name: 'Asignar responsables' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Responsables añadidos a 1 recomendación (1 recomendación ya los tenía).');

    await page.getByRole('link', { name: 'Ciclos de examen' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Ciclos de examen');
    await expect(page.getByRole('link', { name: 'Chile, ciclo 4 (EPU), sesión 46' }).count()).resolves.toBe(1);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // A recommendation: follow it, the message in Spanish; the whole page checked with axe.
    await page.goto(`${t.baseUrl}/recommendations/${spanishRecId}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Recomendación 125.3');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(page.getByRole('heading', { name: 'A lo largo de los ciclos' }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Seguir', exact: true }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Sigue esta recomendación: sus cambios le llegarán por correo electrónico.');
    await expect(page.getByRole('button', { name: 'Dejar de seguir' }).count()).resolves.toBe(1);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    await page.goto(`${t.baseUrl}/cycles/${cycleId}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Chile, ciclo 4 (EPU), sesión 46');
    await expect(page.getByRole('heading', { name: 'Registro público' }).count()).resolves.toBe(1);
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // The coordinators' testimony queue, in Spanish throughout (no English body left inside).
    await page.goto(`${t.baseUrl}/testimonies`);
    await expect(page.locator('div[lang="en"]').count()).resolves.toBe(0);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);

    // To English and back, each time the saved message in the language just chosen.
    await page.goto(`${t.baseUrl}/settings`);
    await page.getByLabel('Idioma de las páginas y los correos').selectOption('en');
    await page.getByRole('button', { name: 'Guardar ajustes' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Your settings are saved.');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.getByLabel('Language of pages and emails').selectOption('es');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Sus ajustes se han guardado.');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');

    // Signing out: the sign-in page keeps the person's language.
    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await expect(page.locator('.flash').textContent()).resolves.toBe('Ha cerrado la sesión.');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await context.close();

    // An admin's people page: invite someone, the message in Spanish.
    const adminContext = await browser.newContext({ locale: 'es-ES' });
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`${t.baseUrl}/login`);
    await adminPage.getByLabel('Correo electrónico').fill(spanishAdmin.email);
    await adminPage.getByLabel('Contraseña').fill(PASSWORD);
    await adminPage.getByRole('button', { name: 'Entrar' }).click();
    await adminPage.waitForURL((url) => !url.pathname.startsWith('/login'));
    await adminPage.getByRole('link', { name: 'Personas' }).click();
    await expect(adminPage.locator('h1').textContent()).resolves.toBe('Personas');
    await expect(seriousA11yViolations(adminPage)).resolves.toEqual([]);
    await adminPage.getByLabel('Nombre').fill('Marta Ruiz');
    await adminPage.getByLabel('Correo electrónico').fill('marta@idiomas.example.org');
    await adminPage.getByRole('button', { name: 'Enviar la invitación' }).click();
    await expect(adminPage.locator('.flash').textContent()).resolves.toBe('Invitación enviada a marta@idiomas.example.org.');
    await expect(adminPage.getByText('Invitada, aún sin aceptar').count()).resolves.toBe(1);
    await adminPage.getByRole('link', { name: 'Correos salientes' }).click();
    await expect(adminPage.locator('h1').textContent()).resolves.toBe('Correos salientes');
    await expect(adminPage.locator('html').getAttribute('lang')).resolves.toBe('es');
    await expect(seriousA11yViolations(adminPage)).resolves.toEqual([]);
    await adminContext.close();
  });
});
