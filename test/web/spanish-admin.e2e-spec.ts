import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { LANGUAGE_NAMES } from '../../src/i18n/i18n';
import { IntakeSettingsService } from '../../src/testimonies/intake-settings.service';
import { launchBrowser, PASSWORD, seriousA11yViolations, startWebApp, type WebTestApp } from '../support/browser';
import type { TestUser } from '../support/test-app';
import { pageTexts } from '../support/testify-pages';
import { englishLeftOf } from '../support/spanish-pages';
import { WebClient } from '../support/web-session';

const htmlLang = (html: string) => /<html lang="([^"]*)">/.exec(html)?.[1];
/** What the test typed (names, titles, aliases, the file's rows) is shown as typed, in any language. */
const DATA = ['Ana Pérez', 'John Smith', 'Luisa Gómez', 'Chile', 'Shadow report', 'Chilito', 'Pena capital', 'voces-admin', 'United States of America', 'admin-import.csv', 'Death penalty', 'Adopt a plan'];
/** The import file's own column names, shown with a bad row. */
const FILE_COLUMNS = ['text', 'state_under_review', 'cycle'];
/** Also the same in every language: numbers, dates, addresses and paths, codes, each language's name in itself. */
const isData = (text: string) =>
  DATA.some((d) => text.includes(d)) || /^[\d\s:.,#·→()\-–?UTC]+$/.test(text) || FILE_COLUMNS.includes(text) || /@/.test(text) || /^(POST )?\/[\w/.-]*$/.test(text) || /^[A-Z]{2,3}$/.test(text)
  || Object.values(LANGUAGE_NAMES).includes(text);
/**
 * The shipped lists offered in a choice (the UN's States, UHRI's themes and groups, in their English
 * names as published) and the audit entries' values as stored (<del>, <ins>) are data: left out before comparing.
 */
const withoutData = (html: string) =>
  html.replace(/<option value="[^"]+"[^>]*>[^<]*<\/option>/g, '').replace(/<(del|ins)>[\s\S]*?<\/\1>/g, '');

/** The catalogue's English texts found in a Spanish page, and its texts identical to the English page's (test/support/spanish-pages.ts). */
const englishLeft = englishLeftOf(isData, withoutData);

const NO_ENGLISH = { leftInEnglish: [], sameAsEnglishPage: [] };
/** The error shown next to a field, as read (entities decoded). */
const fieldError = (html: string, id: string) => {
  const shown = new RegExp(`id="${id}-error">([^<]*)<`).exec(html)?.[1];
  return shown === undefined ? undefined : pageTexts(`<p>${shown}</p>`)[0];
};
const flashOf = (res: { headers: Record<string, unknown> }) => decodeURIComponent(/upr_flash=([^;]*)/.exec(String(res.headers['set-cookie']))?.[1] ?? '');

/**
 * The admins' pages in Spanish (issue 13): the cycle form, the import (preview, import, refusals),
 * editing and removing evidence, the audit trail, the State and theme aliases and the intake
 * settings, each rendered for a Spanish and an English admin with no catalogue English left on the
 * Spanish one; the API's rules and the services' refusals said in Spanish (by what was broken), in
 * English exactly as before; a browser walks them with axe.
 */
describe('The admins\' pages in Spanish (issue 13)', () => {
  let t: WebTestApp;
  let browser: Browser;
  let english: TestUser;
  let spanish: TestUser;
  let es: WebClient;
  let en: WebClient;
  let cycleId: number;
  let recId: number;
  let evidenceId: number;
  const coalition = 'Coalition Admin Idiomas';

  /** The same request as each admin: both answers, the Spanish one first. */
  const both = async (method: string, spec: Parameters<WebClient['send']>[1]) => [await es.send(method, spec), await en.send(method, spec)] as const;

  beforeAll(async () => {
    t = await startWebApp({ LOGIN_ATTEMPTS_PER_MINUTE: '1000', TESTIMONY_KEY: randomBytes(32).toString('base64') });
    browser = await launchBrowser();
    english = await t.createUser('admin', coalition);
    spanish = await t.createUser('admin', coalition);
    await t.dataSource.query(`UPDATE app_user SET name = 'John Smith' WHERE id = ${english.id}`);
    await t.dataSource.query(`UPDATE app_user SET name = 'Luisa Gómez' WHERE id = ${spanish.id}`);
    await t.http.patch('/api/v1/me/preferences').set('Authorization', spanish.auth).send({ language: 'es' }).expect(200);
    const cycle = await t.http.post('/api/v1/cycles').set('Authorization', english.auth).send({ number: 4, stateUnderReview: 'Chile', session: '46', reviewDate: '2026-01-20' }).expect(201);
    cycleId = cycle.body.id;
    const rec = await t.http.post(`/api/v1/cycles/${cycleId}/recommendations`).set('Authorization', english.auth).send({ paragraph: '125.3', text: 'Adopt a plan' }).expect(201);
    recId = rec.body.id;
    const evidence = await t.http.post(`/api/v1/recommendations/${recId}/evidence`).set('Authorization', english.auth)
      .send({ kind: 'report', title: 'Shadow report', url: 'https://example.org/shadow' }).expect(201);
    evidenceId = evidence.body.id;
    await t.http.post('/api/v1/admin/state-aliases').set('Authorization', english.auth).send({ state: 'CL', alias: 'Chilito' }).expect(201);
    await t.http.post('/api/v1/admin/theme-aliases').set('Authorization', english.auth).send({ theme: 'D23', alias: 'Pena capital' }).expect(201);
    await t.app.get(IntakeSettingsService).enable(english.coalitionId, { slug: 'voces-admin' }, null);
    es = await WebClient.signIn(t, spanish.email);
    en = await WebClient.signIn(t, english.email);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should show each page in Spanish to the Spanish admin, with <html lang="es"> and no English left, and in English to the English admin', async () => {
    const paths = [
      '/cycles/new', `/cycles/${cycleId}/edit`, '/cycles/import', `/cycles/import?cycleId=${cycleId}`, `/evidence/${evidenceId}/edit`, `/evidence/${evidenceId}/remove`,
      '/audit', '/audit?entity=state_alias', '/state-aliases', '/theme-aliases', '/settings/intake',
    ];
    for (const path of paths) {
      const [esPage, enPage] = await both('GET', { path });
      expect({ path, status: [esPage.status, enPage.status], lang: [htmlLang(esPage.text), htmlLang(enPage.text)] }).toEqual({ path, status: [200, 200], lang: ['es', 'en'] });
      expect(esPage.text).not.toContain('<div lang="en">');
      expect({ path, ...englishLeft(esPage.text, enPage.text) }).toEqual({ path, ...NO_ENGLISH });
    }
    // The audit trail names what was done and the fields in Spanish; the English admin sees the words of before.
    const [esAudit, enAudit] = await both('GET', { path: '/audit?entity=state_alias' });
    expect(pageTexts(esAudit.text)).toEqual(expect.arrayContaining(['Registro de auditoría', 'Adición', 'Código del Estado', '1 cambio.']));
    expect(pageTexts(enAudit.text)).toEqual(expect.arrayContaining(['Audit trail', 'Added', 'State code', '1 change.']));
    expect(pageTexts(enAudit.text).filter((text) => /^State alias #\d+$/.test(text))).toHaveLength(1);
    expect(pageTexts(esAudit.text).filter((text) => /^Alias de Estado #\d+$/.test(text))).toHaveLength(1);
    const enForm = pageTexts((await en.send('GET', { path: '/cycles/new' })).text);
    expect(enForm).toEqual(expect.arrayContaining(['New cycle', 'Cycle number', 'State under review', 'Review (interactive dialogue)', 'UPR', 'Did not participate', '"Did not participate" records every recommendation of the cycle with no response.']));
    const esForm = pageTexts((await es.send('GET', { path: '/cycles/new' })).text);
    expect(esForm).toEqual(expect.arrayContaining(['Nuevo ciclo', 'Número del ciclo', 'Estado examinado', 'Fechas clave']));
    expect(pageTexts((await es.send('GET', { path: `/evidence/${evidenceId}/edit` })).text)).toEqual(expect.arrayContaining(['Editar la prueba', 'Informe']));
    expect(pageTexts((await en.send('GET', { path: `/evidence/${evidenceId}/remove` })).text)).toEqual(expect.arrayContaining(['Remove evidence', '(Report)']));
  });

  it('should say the API\'s rules in Spanish next to each field (a bad date, a number, an empty title, an address), in English as the API words them', async () => {
    // A cycle with a number that is not one and a key date that is no date.
    const cycleForm = { mechanism: 'upr', number: '100', stateUnderReview: 'Chile', participation: 'participated', reviewDate: '2026-02-30' };
    let [esRes, enRes] = await both('POST', { path: '/cycles', form: cycleForm });
    expect([esRes.status, enRes.status]).toEqual([422, 422]);
    expect([fieldError(esRes.text, 'number'), fieldError(enRes.text, 'number')]).toEqual(['Escriba un número igual o menor que 99.', 'number must not be greater than 99']);
    expect({ ...englishLeft(esRes.text, enRes.text) }).toEqual(NO_ENGLISH);
    [esRes, enRes] = await both('POST', { path: '/cycles', form: { ...cycleForm, number: '5' } });
    expect([fieldError(esRes.text, 'reviewDate'), fieldError(enRes.text, 'reviewDate')]).toEqual(['Escriba una fecha real con el formato AAAA-MM-DD.', 'reviewDate must be a real date written YYYY-MM-DD']);

    // The deadline form of the recommendation page (translated earlier): a bad date.
    const deadline = { kind: 'evidence_due', dueDate: '2026-02-30', timeZone: 'UTC' };
    [esRes, enRes] = await both('POST', { path: `/recommendations/${recId}/deadlines`, form: deadline });
    expect([esRes.status, enRes.status]).toEqual([422, 422]);
    expect([fieldError(esRes.text, 'deadline-date'), fieldError(enRes.text, 'deadline-date')])
      .toEqual(['Escriba una fecha real con el formato AAAA-MM-DD.', 'dueDate must be a real date written YYYY-MM-DD']);
    expect({ ...englishLeft(esRes.text, enRes.text) }).toEqual(NO_ENGLISH);

    // Evidence without a title; an intake address that is no address; dates in the wrong order.
    [esRes, enRes] = await both('POST', { path: `/evidence/${evidenceId}/edit`, form: { kind: 'report', title: '', url: 'https://example.org/shadow' } });
    expect([fieldError(esRes.text, 'evidence-title'), fieldError(enRes.text, 'evidence-title')]).toEqual(['Escriba entre 1 y 300 caracteres.', 'title must be longer than or equal to 1 characters']);
    expect({ ...englishLeft(esRes.text, enRes.text) }).toEqual(NO_ENGLISH);
    [esRes, enRes] = await both('POST', { path: '/settings/intake/enable', form: { slug: 'Not a slug!' } });
    expect(fieldError(esRes.text, 'slug')).toMatch(/^Escriba de 3 a 60 letras minúsculas/);
    expect(fieldError(enRes.text, 'slug')).toMatch(/^slug must be 3 to 60 lower-case letters/);
    expect({ ...englishLeft(esRes.text, enRes.text) }).toEqual(NO_ENGLISH);
    [esRes, enRes] = await both('GET', { path: '/audit?from=2026-12-01&to=2026-11-01' });
    expect([fieldError(esRes.text, 'to'), fieldError(enRes.text, 'to')]).toEqual(['Elija una fecha posterior a la fecha «Desde».', 'from (2026-12-01) must be before to (2026-11-01)']);
    expect({ ...englishLeft(esRes.text, enRes.text) }).toEqual(NO_ENGLISH);
  });

  it('should say the services\' refusals in Spanish (aliases, the intake address, a closed cycle), in English as before, and write nothing', async () => {
    // A spelling that already names a State; a State that does not exist.
    let [esRes, enRes] = await both('POST', { path: '/state-aliases', form: { state: 'CHL', alias: 'Chile' } });
    expect([esRes.status, enRes.status]).toEqual([409, 409]);
    expect(fieldError(esRes.text, 'alias-text')).toBe('«Chile» ya nombra a Chile (CHL).');
    expect(fieldError(enRes.text, 'alias-text')).toBe('alias: "Chile" already names Chile (CHL)');
    expect({ ...englishLeft(esRes.text, enRes.text) }).toEqual(NO_ENGLISH);
    [esRes, enRes] = await both('POST', { path: '/state-aliases', form: { state: 'Chilee', alias: 'Chilote' } });
    expect([esRes.status, enRes.status]).toEqual([400, 400]);
    expect(fieldError(esRes.text, 'alias-state')).toBe('«Chilee» no es un Estado miembro u observador de la ONU ni un alias de uno. ¿Quería decir Chile, China, Cyprus?');
    expect(fieldError(enRes.text, 'alias-state')).toMatch(/^"Chilee" is not a UN member or observer State, nor an alias of one; did you mean Chile/);
    // A theme alias that already means something; no theme or group chosen.
    [esRes, enRes] = await both('POST', { path: '/theme-aliases', form: { target: 'theme:D23', alias: 'Pena capital' } });
    expect([fieldError(esRes.text, 'alias-text'), fieldError(enRes.text, 'alias-text')]).toEqual(['«Pena capital» ya nombra otro tema o grupo de personas.', 'alias: "Pena capital" already names theme D23 Death penalty']);
    expect({ ...englishLeft(esRes.text, enRes.text) }).toEqual(NO_ENGLISH);
    [esRes, enRes] = await both('POST', { path: '/theme-aliases', form: { target: '', alias: 'Algo' } });
    expect([fieldError(esRes.text, 'alias-target'), fieldError(enRes.text, 'alias-target')]).toEqual(['Elija un tema o un grupo de personas', 'Choose a theme or a group of persons']);
    // Evidence with neither a link nor a file (the recommendation page's form).
    [esRes, enRes] = await both('POST', { path: `/recommendations/${recId}/evidence`, fields: { kind: 'report', title: 'No link' } });
    expect([esRes.status, enRes.status]).toEqual([422, 422]);
    expect([fieldError(esRes.text, 'evidence-url'), fieldError(enRes.text, 'evidence-url')])
      .toEqual(['Indique un enlace o elija un archivo.', 'give a url for a link, or upload a file in the multipart field "file"']);
    // Another coalition's intake address.
    const other = await t.createUser('admin', 'Coalition Admin Otra');
    await t.app.get(IntakeSettingsService).enable(other.coalitionId, { slug: 'voces-otra' }, null);
    [esRes, enRes] = await both('POST', { path: '/settings/intake/enable', form: { slug: 'voces-otra' } });
    expect([fieldError(esRes.text, 'slug'), fieldError(enRes.text, 'slug')])
      .toEqual(['«voces-otra» es la dirección de recepción de otra coalición; elija otra.', 'slug: "voces-otra" is the intake address of another coalition; choose another']);
    expect({ ...englishLeft(esRes.text, enRes.text) }).toEqual(NO_ENGLISH);
    expect((await t.http.get('/api/v1/admin/state-aliases').set('Authorization', english.auth).expect(200)).body.items).toHaveLength(1);

    // A closed cycle refuses an edit: said in words common to every page.
    const closedCycle = await t.http.post('/api/v1/cycles').set('Authorization', english.auth).send({ number: 1, stateUnderReview: 'Chile' }).expect(201);
    const closed = await t.http.post(`/api/v1/cycles/${closedCycle.body.id}/close`).set('Authorization', english.auth).send({ nextCycle: { number: 2 } });
    expect([200, 201]).toContain(closed.status);
    const edit = { mechanism: 'upr', number: '1', stateUnderReview: 'Chile', participation: 'participated', session: '9' };
    [esRes, enRes] = await both('POST', { path: `/cycles/${closedCycle.body.id}`, form: edit });
    expect([esRes.status, enRes.status]).toEqual([422, 422]);
    expect(esRes.text).toContain('Este ciclo está cerrado: nada de lo que contiene puede cambiar.');
    expect(enRes.text).toContain(`Cycle ${closedCycle.body.id} is closed; nothing in a closed cycle can change`);
    expect({ ...englishLeft(esRes.text, enRes.text) }).toEqual(NO_ENGLISH);
  });

  it('should give the messages after each form in the person\'s language', async () => {
    const expectFlash = async (method: string, spec: Parameters<WebClient['send']>[1], spanishText: string, englishText: string, client: 'es' | 'en' = 'es') => {
      const res = await (client === 'es' ? es : en).send(method, spec);
      expect(res.status).toBe(303);
      expect(flashOf(res)).toBe(client === 'es' ? spanishText : englishText);
    };
    const cycle = { mechanism: 'upr', stateUnderReview: 'Chile', participation: 'participated' };
    await expectFlash('POST', { path: '/cycles', form: { ...cycle, number: '7' } }, 'Ciclo creado: Chile, ciclo 7 (EPU).', '', 'es');
    await expectFlash('POST', { path: '/cycles', form: { ...cycle, number: '8' } }, '', 'Cycle created: Chile, UPR cycle 8.', 'en');
    await expectFlash('POST', { path: `/cycles/${cycleId}`, form: { ...cycle, number: '4', session: '46' } }, 'Guardado: Chile, ciclo 4 (EPU), sesión 46.', '');
    await expectFlash('POST', { path: `/evidence/${evidenceId}/edit`, form: { kind: 'report', title: 'Shadow report', url: 'https://example.org/shadow' } }, 'Prueba guardada: Shadow report.', '');
    await expectFlash('POST', { path: '/state-aliases', form: { state: 'CHL', alias: 'Chilito del Sur' } }, '«Chilito del Sur» nombra ahora a Chile. Vuelva a importar el archivo para que sus filas coincidan.', '');
    await expectFlash('POST', { path: '/state-aliases', form: { state: 'CHL', alias: 'Chileno' } }, '', '"Chileno" now names Chile. Import the file again for its rows to match.', 'en');
    await expectFlash('POST', { path: '/settings/intake/disable' }, 'La recepción de testimonios está cerrada: su dirección responde «no encontrado». Los testimonios ya recibidos siguen en la cola.', '');
    await expectFlash('POST', { path: '/settings/intake/enable', form: { slug: 'voces-admin' } }, 'La recepción de testimonios está abierta en /api/v1/public/testimonies/voces-admin.', '');
    const aliases = (await t.http.get('/api/v1/admin/state-aliases').set('Authorization', english.auth).expect(200)).body.items as { id: number; alias: string }[];
    await expectFlash('POST', { path: `/state-aliases/${aliases.find((a) => a.alias === 'Chileno')!.id}/remove` }, 'Alias eliminado. Las filas ya importadas conservan su Estado.', '');
    await expectFlash('POST', { path: `/evidence/${evidenceId}/remove` }, 'Prueba eliminada: Shadow report.', '');
  });

  it('should preview and import a file in Spanish (figures, cycles, rejected rows, the refusal of a real import with bad rows), the English admin as before', async () => {
    const csv = [
      'state_under_review,cycle,session,document_symbol,paragraph,text,recommending_states,response,themes,affected_persons,sdgs,action_category',
      'United States of America,3,36,A/HRC/46/15,26.10,Ratify the Covenant,Portugal;Brazil,noted,,,,',
      'United States of America,3,36,A/HRC/46/15,26.11,,Portugal,noted,,,,',
    ].join('\n');
    const file = { field: 'file', name: 'admin-import.csv', content: Buffer.from(csv), contentType: 'text/csv' };
    const [esPreview, enPreview] = await both('POST', { path: '/cycles/import', fields: { step: 'preview', format: 'auto', cycleId: '' }, file });
    expect([esPreview.status, enPreview.status]).toEqual([200, 200]);
    expect({ ...englishLeft(esPreview.text, enPreview.text) }).toEqual(NO_ENGLISH);
    const esTexts = pageTexts(esPreview.text);
    expect(esTexts).toEqual(expect.arrayContaining(['Lo que haría la importación', 'United States of America, ciclo 3 (EPU), sesión 36', 'Filas rechazadas', 'el texto de la recomendación está vacío', 'Importar de verdad']));
    expect(esPreview.text).not.toContain('the recommendation text is empty');
    expect(pageTexts(enPreview.text)).toEqual(expect.arrayContaining(['What the import would do', 'United States of America, UPR cycle 3, session 36', 'Rejected rows', 'the recommendation text is empty']));
    expect(enPreview.text).not.toContain('lang="en">the recommendation');

    // Importing for real without leaving out the bad row: refused, in each language.
    const sha256 = /name="previewedSha256" value="([^"]+)"/.exec(esPreview.text)![1];
    const forReal = { step: 'import', format: 'auto', cycleId: '', previewedSha256: sha256 };
    const [esRefused, enRefused] = await both('POST', { path: '/cycles/import', fields: forReal, file });
    expect([esRefused.status, enRefused.status]).toEqual([422, 422]);
    expect(esRefused.text).toContain('No se ha importado nada: hay 1 filas con errores.');
    expect(enRefused.text).toContain('Nothing was imported: 1 rows are bad. Fix them, or import the good rows only.');
    expect({ ...englishLeft(esRefused.text, enRefused.text) }).toEqual(NO_ENGLISH);
    // No file chosen; a file that is no import.
    const [esNoFile, enNoFile] = await both('POST', { path: '/cycles/import', fields: { step: 'preview', format: 'auto' } });
    expect([fieldError(esNoFile.text, 'file'), fieldError(enNoFile.text, 'file')]).toEqual(['Elija el archivo que quiere importar (CSV, XLSX o DOCX).', 'Choose the file to import (CSV, XLSX or DOCX).']);
    const junk = { ...file, name: 'junk.csv', content: Buffer.from('hello,world\n1,2\n') };
    const [esJunk, enJunk] = await both('POST', { path: '/cycles/import', fields: { step: 'preview', format: 'auto' }, file: junk });
    expect(fieldError(esJunk.text, 'file')).toMatch(/^No se puede leer el archivo como un archivo de recomendaciones/);
    expect(fieldError(enJunk.text, 'file')).toMatch(/^junk\.csv: /);
    expect({ ...englishLeft(esJunk.text, enJunk.text) }).toEqual(NO_ENGLISH);

    // The good rows only, by the Spanish admin: what the import did.
    const done = await es.send('POST', { path: '/cycles/import', fields: { ...forReal, partial: 'true' }, file });
    expect(done.status).toBe(200);
    expect(pageTexts(done.text)).toEqual(expect.arrayContaining(['Lo que hizo la importación', 'Importar otro archivo']));
    expect(englishLeft(done.text, '').leftInEnglish).toEqual([]);
  });

  it('should walk the admins\' pages in a real browser as the Spanish admin, with axe finding no serious violation', async () => {
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/login`);
    await page.getByLabel('Correo electrónico').fill(spanish.email);
    await page.getByLabel('Contraseña').fill(PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    const evidence = await t.http.post(`/api/v1/recommendations/${recId}/evidence`).set('Authorization', english.auth)
      .send({ kind: 'link', title: 'Shadow report 2', url: 'https://example.org/shadow2' }).expect(201);
    const walk: [string, string][] = [
      ['/cycles/new', 'Nuevo ciclo'], [`/cycles/${cycleId}/edit`, 'Editar Chile, ciclo 4 (EPU), sesión 46'], ['/cycles/import', 'Importar un archivo'],
      [`/evidence/${evidence.body.id}/edit`, 'Editar la prueba'], [`/evidence/${evidence.body.id}/remove`, 'Eliminar la prueba'], ['/audit', 'Registro de auditoría'],
      ['/state-aliases', 'Nombres alternativos de Estados'], ['/theme-aliases', 'Nombres alternativos de temas y grupos'], ['/settings/intake', 'Recepción de testimonios del EPU popular'],
    ];
    for (const [path, heading] of walk) {
      await page.goto(`${t.baseUrl}${path}`);
      expect({ path, h1: await page.locator('h1').textContent(), lang: await page.locator('html').getAttribute('lang') }).toEqual({ path, h1: heading, lang: 'es' });
      expect({ path, violations: await seriousA11yViolations(page) }).toEqual({ path, violations: [] });
    }
    // A form in the browser: a State alias added, the message in Spanish.
    await page.goto(`${t.baseUrl}/state-aliases`);
    await page.getByLabel('Estado', { exact: true }).selectOption('CHL');
    await page.getByLabel('Alias (la grafía que usan sus archivos)').fill('Chile continental');
    await page.getByRole('button', { name: 'Añadir el alias' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('«Chile continental» nombra ahora a Chile. Vuelva a importar el archivo para que sus filas coincidan.');
    await expect(seriousA11yViolations(page)).resolves.toEqual([]);
    await context.close();
  }, 240_000);
});
