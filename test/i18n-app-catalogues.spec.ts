import { AppLabels } from '../src/i18n/app-labels';
import { APP_LANGUAGES, readAppCatalogue, translator } from '../src/i18n/i18n';
import { deadlineTitle } from '../src/notifications/deadline-calendar';
import type { DeadlinePayload } from '../src/notifications/notification-payload';
import { cycleLabel, cycleLabelWithSession, MECHANISM_LABELS, MECHANISMS, PARTICIPATION_LABELS, participationNote } from '../src/vocabulary/cycle.vocabulary';
import { DEADLINE_KINDS } from '../src/vocabulary/deadline.vocabulary';
import { RESPONSE_LABELS, RESPONSES, STATUS_LABELS, STATUSES } from '../src/vocabulary/recommendation.vocabulary';
import { ACTION_LABELS, ENTITY_LABELS, fieldLabel } from '../src/web/audit/audit-view';
import { EVIDENCE_KINDS } from '../src/vocabulary/evidence.vocabulary';
import { LINEAGE_STATES } from '../src/vocabulary/lineage.vocabulary';
import { DEADLINE_STATES } from '../src/vocabulary/deadline.vocabulary';
import { flatten } from './support/testify-pages';

/**
 * The signed-in application's catalogues (src/i18n/locales/app.LANG.json): English and Spanish have
 * the same keys, no empty text, the same {{values}}, no Spanish text left in English, and the
 * English texts of statuses, responses, cycles and deadlines are exactly the API's English words
 * (an English page does not change with the catalogue).
 */
const APP = Object.fromEntries(APP_LANGUAGES.map((l) => [l, flatten(readAppCatalogue(l))])) as Record<(typeof APP_LANGUAGES)[number], Map<string, string>>;
/** Texts that are the same in both languages: made only of values. */
const SAME_AS_ENGLISH = ['layout.who', 'deadline.withTitle', 'deadline.withCycle', 'email.cycleAndExcerpt', 'email.subjectMany'];

describe('i18n: the application catalogues (en, es)', () => {
  it('should give Spanish exactly the keys of English, and English exactly those of Spanish', () => {
    const en = [...APP.en.keys()].sort();
    const es = [...APP.es.keys()].sort();
    expect({ missingInSpanish: en.filter((k) => !es.includes(k)), missingInEnglish: es.filter((k) => !en.includes(k)) }).toEqual({ missingInSpanish: [], missingInEnglish: [] });
    expect(en.length).toBeGreaterThan(50);
  });

  it.each(APP_LANGUAGES)('should have no empty text in %s', (language) => {
    expect([...APP[language]].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it('should leave no Spanish text in English', () => {
    expect([...APP.es].filter(([key, text]) => APP.en.get(key) === text && !SAME_AS_ENGLISH.includes(key)).map(([key]) => key)).toEqual([]);
  });

  it('should keep the {{values}} of every English text in Spanish', () => {
    const names = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort().join();
    expect([...APP.en].filter(([key, text]) => names(text) !== names(APP.es.get(key) ?? '')).map(([key]) => key)).toEqual([]);
  });

  it('should name statuses, responses, mechanisms, cycles and deadlines in English exactly as the API and the vocabulary do', () => {
    const en = new AppLabels(translator(), 'en');
    expect(STATUSES.map((s) => en.status(s))).toEqual(STATUSES.map((s) => STATUS_LABELS[s]));
    expect(RESPONSES.map((r) => en.response(r))).toEqual(RESPONSES.map((r) => RESPONSE_LABELS[r]));
    for (const mechanism of MECHANISMS) {
      const cycle = { mechanism, number: 4, stateUnderReview: 'Chile' };
      expect(en.cycle(cycle)).toBe(cycleLabel(cycle));
      for (const session of ['46', null]) expect(en.cycleWithSession({ ...cycle, session })).toBe(cycleLabelWithSession({ ...cycle, session }));
      expect(APP.en.get(`mechanisms.${mechanism}`)).toBe(MECHANISM_LABELS[mechanism]);
    }
    const humanize = (value: string) => value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');
    expect(DEADLINE_KINDS.map((k) => en.t(`deadlineKindOptions.${k}`))).toEqual(DEADLINE_KINDS.map(humanize));
    for (const kind of DEADLINE_KINDS) {
      for (const title of ['Shadow report', null]) {
        const payload = { deadline: { kind, title }, cycle: { id: 1, label: 'Chile, UPR cycle 4' } } as DeadlinePayload;
        expect(en.deadline({ kind, title }, 'Chile, UPR cycle 4')).toBe(deadlineTitle(payload));
      }
    }
  });

  it('should name in English the audit entries, evidence kinds and states of the recommendation page exactly as the English pages did', () => {
    const group = (prefix: string) => Object.fromEntries([...APP.en].filter(([key]) => key.startsWith(prefix)).map(([key, text]) => [key.slice(prefix.length), text]));
    expect(group('auditEntries.actions.')).toEqual(ACTION_LABELS);
    expect(group('auditEntries.entities.')).toEqual(ENTITY_LABELS);
    const fields = group('auditEntries.fields.');
    expect(Object.keys(fields).length).toBeGreaterThan(20);
    expect(Object.entries(fields).filter(([field, text]) => fieldLabel(field) !== text)).toEqual([]);
    const humanize = (value: string) => value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');
    expect(EVIDENCE_KINDS.map((k) => APP.en.get(`evidenceKinds.${k}`))).toEqual(EVIDENCE_KINDS.map(humanize));
    // Shown as the codes they are before (lineage states, deadline states).
    expect(LINEAGE_STATES.map((s) => APP.en.get(`rec.lineageStates.${s}`))).toEqual([...LINEAGE_STATES]);
    expect(DEADLINE_STATES.map((s) => APP.en.get(`rec.deadlineStates.${s}`))).toEqual([...DEADLINE_STATES]);
    // The cycle page's participation, as the reports and the public ledger say it.
    const en = new AppLabels(translator(), 'en');
    for (const [participation, label] of Object.entries(PARTICIPATION_LABELS)) {
      expect(en.t(`cyclePage.participations.${participation}`)).toBe(label);
    }
    expect(en.t('cyclePage.noteDidNotParticipate', { state: 'Chile' })).toBe(participationNote({ participation: 'did_not_participate', stateUnderReview: 'Chile' }));
    expect(en.t('cyclePage.notePostponed', { state: 'Chile' })).toBe(participationNote({ participation: 'postponed', stateUnderReview: 'Chile' }));
  });

  it('should name them in Spanish, and show an unknown code as it is', () => {
    const es = new AppLabels(translator(), 'es');
    expect([es.status('in_progress'), es.response('noted'), es.response('supported')]).toEqual(['En curso', 'Tomada nota', 'Aceptada']);
    expect(es.cycle({ mechanism: 'upr', number: 4, stateUnderReview: 'Chile' })).toBe('Chile, ciclo 4 (EPU)');
    expect(es.deadline({ kind: 'hearing', title: null }, 'Chile, ciclo 4 (EPU)')).toBe('Audiencia (Chile, ciclo 4 (EPU))');
    expect(es.status('no_such_status')).toBe('no_such_status');
    // Plurals through i18next's rules of each language.
    expect([es.t('dashboard.assignmentsCount', { count: 1 }), es.t('dashboard.assignmentsCount', { count: 3 })]).toEqual(['1 recomendación a su cargo', '3 recomendaciones a su cargo']);
  });

  it('should keep the intake form catalogues free of the application keys (French and Haitian Creole have none)', () => {
    expect(translator().has('fr', 'app:nav.dashboard')).toBe(false);
    expect(translator().has('es', 'app:nav.dashboard')).toBe(true);
    expect(translator().t('fr', 'app:nav.dashboard')).toBe(APP.en.get('nav.dashboard'));
  });
});
