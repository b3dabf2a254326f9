import type { Mechanism } from '../vocabulary/cycle.vocabulary';
import { APP_NAMESPACE, type AppLanguage, type Translator } from './i18n';

/**
 * The names the application gives in code (a cycle, a deadline, a status) in a person's language.
 * In English each is exactly what the vocabulary's English function gives (cycleLabel,
 * deadlineTitle, STATUS_LABELS: a test holds them equal), so English pages do not change.
 */
export class AppLabels {
  constructor(
    private readonly translator: Translator,
    readonly language: AppLanguage,
  ) {}

  t(key: string, values?: Record<string, unknown>): string {
    return this.translator.t(this.language, `${APP_NAMESPACE}:${key}`, values);
  }

  /** "Chile, UPR cycle 4" / "Chile, ciclo 4 (EPU)". */
  cycle(cycle: { mechanism: Mechanism; number: number; stateUnderReview: string }): string {
    return this.t('cycle.label', { state: cycle.stateUnderReview, mechanism: this.code('mechanisms', cycle.mechanism), number: cycle.number });
  }

  /** The cycle with its session, where several cycles of one State are listed: "Chile, UPR cycle 4 (session 46)". */
  cycleWithSession(cycle: { mechanism: Mechanism; number: number; stateUnderReview: string; session: string | null }): string {
    return cycle.session ? this.t('cycle.withSession', { cycle: this.cycle(cycle), session: cycle.session }) : this.cycle(cycle);
  }

  /** A deadline's title: its kind with the title typed for it, else with its cycle. */
  deadline(deadline: { kind: string; title: string | null }, cycleLabel: string): string {
    const kind = this.t(`deadlineKinds.${this.has(`deadlineKinds.${deadline.kind}`) ? deadline.kind : 'other'}`);
    return deadline.title ? this.t('deadline.withTitle', { kind, title: deadline.title }) : this.t('deadline.withCycle', { kind, cycle: cycleLabel });
  }

  status(status: string): string {
    return this.code('statuses', status);
  }

  response(response: string): string {
    return this.code('responses', response);
  }

  /** A code's label from a group of the catalogue; an unknown code as it is. */
  private code(group: string, code: string): string {
    return this.has(`${group}.${code}`) ? this.t(`${group}.${code}`) : code;
  }

  /** Whether the catalogue names a key (in English, which has them all). */
  has(key: string): boolean {
    return this.translator.has('en', `${APP_NAMESPACE}:${key}`);
  }
}
