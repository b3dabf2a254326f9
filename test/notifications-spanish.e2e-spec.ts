import type { ParsedMail } from 'mailparser';
import { APP_LANGUAGES, readAppCatalogue } from '../src/i18n/i18n';
import { createTestApp, TestApp, TestUser } from './support/test-app';
import { SmtpTestServer } from './support/smtp-test-server';
import { changeStatus, createScene, dispatch, follow, rows, Scene, setPreferences } from './support/notification-fixtures';
import { fixedPieces, flatten } from './support/testify-pages';
import { WebClient } from './support/web-session';

const APP = Object.fromEntries(APP_LANGUAGES.map((l) => [l, flatten(readAppCatalogue(l))])) as Record<(typeof APP_LANGUAGES)[number], Map<string, string>>;
/** The catalogue groups an email is written from. */
const EMAIL_GROUPS = ['email.', 'accountEmail.', 'deadlineKinds.', 'deadline.', 'statuses.', 'responses.', 'mechanisms.', 'cycle.'];
const containsWords = (text: string, piece: string) => new RegExp(`(?<![\\p{L}\\p{N}])${piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(text);

/** The English texts of the catalogue (those Spanish says otherwise) found in an email's subject, text or HTML. */
function englishLeft(mail: ParsedMail): string[] {
  const whole = [mail.subject ?? '', mail.text ?? '', typeof mail.html === 'string' ? mail.html.replace(/<[^>]*>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&') : ''].join('\n');
  return [...APP.en]
    .filter(([key, text]) => EMAIL_GROUPS.some((g) => key.startsWith(g)) && APP.es.get(key) !== text)
    .flatMap(([key, text]) => fixedPieces(text).filter((piece) => containsWords(whole, piece)).map((piece) => `${key}: ${piece}`));
}

/** Emails go in the recipient's language (issue 13): change and deadline notices, account emails, over a real SMTP server. */
describe('notification emails in the recipient language', () => {
  let smtp: SmtpTestServer;
  let t: TestApp;
  let scene: Scene;
  let spanish: TestUser;
  let english: TestUser;
  const mailTo = (user: TestUser) => smtp.received.filter((m) => m.to && JSON.stringify(m.to).includes(user.email));

  /** The first email to the person, waiting for it: a reset is sent after the answer (its timing tells nothing). */
  const arrivedFor = async (user: TestUser): Promise<ParsedMail> => {
    for (let waited = 0; waited < 10_000; waited += 50) {
      const [mail] = mailTo(user);
      if (mail) return mail;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no email to ${user.email} arrived`);
  };

  beforeAll(async () => {
    smtp = new SmtpTestServer();
    await smtp.start();
    t = await createTestApp({ SMTP_URL: smtp.url, SMTP_RATE_PER_SECOND: '1000' });
    scene = await createScene(t, 'Coalición Idiomas');
    spanish = await t.createUser('member', 'Coalición Idiomas');
    english = await t.createUser('member', 'Coalición Idiomas');
    await setPreferences(t, spanish, { language: 'es', timeZone: 'UTC', reminders: 'immediate', statusChanges: 'immediate' });
    await setPreferences(t, english, { timeZone: 'UTC', reminders: 'immediate', statusChanges: 'immediate' });
    for (const person of [spanish, english]) await follow(t, person, scene.recommendationId);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });

  it('should write a change notice in Spanish to a Spanish reader and in English, as always, to an English one', async () => {
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'in_progress', 'Proyecto de ley presentado');
    await dispatch(t);
    const [es] = mailTo(spanish);
    const [en] = mailTo(english);
    expect(es.subject).toBe('Estado de aplicación de la recomendación 26.49: Sin evaluar → En curso');
    expect(en.subject).toBe('Status of recommendation 26.49: not assessed → in progress');
    expect(es.text).toContain('Hola, member');
    expect(es.text).toContain('United States of America, ciclo 4 (EPU). Ratify the Optional Protocol to the ICESCR');
    expect(es.text).toContain('Nota: Proyecto de ley presentado');
    expect(es.text).toMatch(/Abrir la recomendación: http/);
    expect(es.text).toContain('Recibe este correo por su función en Coalición Idiomas en upr-followup.');
    expect(es.text).toMatch(/Dejar de recibir avisos de cambios: http/);
    expect(es.html).toContain('<html lang="es">');
    expect(englishLeft(es)).toEqual([]);
    expect(en.text).toContain('United States of America, UPR cycle 4. Ratify the Optional Protocol to the ICESCR');
    expect(en.text).toMatch(/^Hello member \d+,$/m);
    expect(en.text).toContain('You receive this because of your role in Coalición Idiomas on upr-followup.');
    expect(en.html).toContain('<html lang="en">');
  });

  it('should name a response change, a reminder and an overdue notice in Spanish, day and month names included', async () => {
    await t.http.patch(`/api/v1/recommendations/${scene.recommendationId}`).set('Authorization', scene.coordinator.auth).send({ response: 'noted' }).expect(200);
    await t.http.patch('/api/v1/admin/reminder-policy').set('Authorization', scene.admin.auth).send({ offsetsDays: [1], hour: 9, overdueNotice: true }).expect(200);
    await dispatch(t);
    const [response] = mailTo(spanish);
    expect(response.subject).toBe('Respuesta del Estado a la recomendación 26.49: Sin respuesta → Tomada nota');
    expect(englishLeft(response)).toEqual([]);

    smtp.received.length = 0;
    await rows(t, `UPDATE notification SET state = 'cancelled' WHERE state = 'pending'`);
    t.clock.set('2027-05-01T00:00:00.000Z');
    await t.http.post('/api/v1/deadlines').set('Authorization', scene.coordinator.auth)
      .send({ recommendationId: scene.recommendationId, kind: 'mid_term_report', title: 'Informe intermedio', dueDate: '2027-05-03', dueTime: '17:00', timeZone: 'America/New_York', assigneeIds: [spanish.id, english.id] })
      .expect(201);
    t.clock.set('2027-05-02T09:05:00.000Z');
    await dispatch(t);
    const [reminder] = mailTo(spanish);
    const [englishReminder] = mailTo(english);
    expect(englishReminder.subject).toBe('Reminder: Mid-term report due: Informe intermedio, due Mon 3 May 2027, 21:00 UTC');
    expect(reminder.subject).toBe('Recordatorio: Plazo del informe de mitad de período: Informe intermedio, vence el lun 3 may 2027, 21:00 UTC');
    expect(reminder.text).toContain('Fijado para el 2027-05-03, 17:00 (America/New_York).');
    expect(reminder.text).toContain('Recomendación 26.49: Ratify the Optional Protocol to the ICESCR');
    expect(englishLeft(reminder)).toEqual([]);

    smtp.received.length = 0;
    t.clock.set('2027-05-04T09:05:00.000Z');
    await dispatch(t);
    const overdue = mailTo(spanish).find((m) => m.subject?.startsWith('Vencido'));
    expect(overdue?.subject).toBe('Vencido: Plazo del informe de mitad de período: Informe intermedio, venció el lun 3 may 2027, 21:00 UTC');
    expect(englishLeft(overdue!)).toEqual([]);
  });

  it('should send the password reset and the notice about an existing account in Spanish to a Spanish account', async () => {
    await WebClient.visitor(t).send('POST', { path: '/password/forgot', form: { email: spanish.email } });
    const reset = await arrivedFor(spanish);
    expect(reset.subject).toBe('Restablezca su contraseña de Seguimiento del EPU');
    expect(reset.text).toMatch(/^Hola, member \d+:$/m);
    expect(reset.text).toMatch(/\/password\/reset\/[\w-]+/);
    expect(reset.html).toContain('Elegir una contraseña nueva</a>');
    expect(englishLeft(reset)).toEqual([]);
    await WebClient.visitor(t).send('POST', { path: '/password/forgot', form: { email: english.email } });
    expect((await arrivedFor(english)).subject).toBe('Reset your UPR follow-up password');

    smtp.received.length = 0;
    const otherAdmin = await t.createUser('admin', 'Otra Coalición');
    await t.http.post('/api/v1/users/invitations').set('Authorization', otherAdmin.auth).send({ email: spanish.email, name: 'Ana', role: 'member' }).expect(201);
    const notice = await arrivedFor(spanish);
    expect(notice.subject).toMatch(/^admin \d+ intentó añadirle a Otra Coalición en Seguimiento del EPU$/);
    expect(notice.text).toMatch(/Inicie sesión en su cuenta como de costumbre: http:\/\/\S+\/login\?lang=es/);
    expect(englishLeft(notice)).toEqual([]);
  });
  it("should show the unsubscribe link's pages in the person's language, and a spent link's in the browser's", async () => {
    await changeStatus(t, scene.coordinator, scene.recommendationId, 'not_implemented', 'Sin avances');
    await dispatch(t);
    const tokenOf = (mail: ParsedMail) => SmtpTestServer.header(mail, 'List-Unsubscribe')!.match(/unsubscribe\/([^>]+)>/)![1];
    const token = tokenOf(mailTo(spanish)[0]);
    const englishToken = tokenOf(mailTo(english)[0]);
    const pageTexts = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
    const unsubscribeEnglish = [...APP.en].filter(([key, text]) => key.startsWith('unsubscribePage.') && APP.es.get(key) !== text);
    const left = (html: string) => unsubscribeEnglish.flatMap(([key, text]) => fixedPieces(text).filter((piece) => containsWords(pageTexts(html), piece)).map((p) => `${key}: ${p}`));

    const ask = await t.http.get(`/unsubscribe/${token}`).expect(200);
    expect(ask.text).toContain('<html lang="es">');
    expect(ask.text).toContain('<button type="submit">Darse de baja</button>');
    expect(left(ask.text)).toEqual([]);
    // The English person's link: the page they saw before, even from a Spanish browser.
    const askEnglish = await t.http.get(`/unsubscribe/${englishToken}`).set('Accept-Language', 'es').expect(200);
    expect(askEnglish.text).toContain('<html lang="en">');
    expect(askEnglish.text).toContain('<h1>Stop these emails?</h1>');

    const done = await t.http.post(`/unsubscribe/${token}`).set('Accept', 'text/html').type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(done.text).toContain(`${spanish.email} ya no recibe avisos de cambios de upr-followup.`);
    expect(left(done.text)).toEqual([]);
    // Spent: the link names nobody now, so the browser's language decides.
    const spentEs = await t.http.post(`/unsubscribe/${token}`).set('Accept', 'text/html').set('Accept-Language', 'es-MX,es;q=0.9').type('form').send('List-Unsubscribe=One-Click').expect(400);
    expect(spentEs.text).toContain('<html lang="es">');
    expect(spentEs.text).toContain('Este enlace para darse de baja no es válido');
    expect(left(spentEs.text)).toEqual([]);
    const spentEn = await t.http.post(`/unsubscribe/${token}`).set('Accept', 'text/html').type('form').send('List-Unsubscribe=One-Click').expect(400);
    expect(spentEn.text).toContain('This unsubscribe link is not valid, has expired, or was already used');
    // The one-click answer to a mail client stays the API's English JSON.
    expect((await t.http.post(`/unsubscribe/${englishToken}`).type('form').send('List-Unsubscribe=One-Click').expect(200)).body)
      .toEqual({ unsubscribed: 'change notices', email: english.email });
    await setPreferences(t, spanish, { statusChanges: 'immediate' });
    await setPreferences(t, english, { statusChanges: 'immediate' });
  });
});
