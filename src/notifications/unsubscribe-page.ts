import Handlebars from 'handlebars';
import { APP_NAMESPACE, type AppLanguage, Translator } from '../i18n/i18n';
import type { UnsubscribeScope } from './unsubscribe-tokens';

/**
 * The pages of the unsubscribe link, on the application's stylesheet (the CSP allows no inline style),
 * in the recipient's language (the link names the person; a link that no longer works, the browser's).
 */
const render = Handlebars.compile(`<!doctype html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} – upr-followup</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><main class="narrow">
<h1>{{title}}</h1>
{{#each paragraphs}}<p>{{this}}</p>{{/each}}
{{#if action}}<form method="post" action="{{action}}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">{{button}}</button></form>{{/if}}
{{#if settings}}<p><a href="/settings">{{settings.link}}</a>{{settings.after}}</p>{{/if}}
</main></body></html>`);

export class UnsubscribePages {
  constructor(private readonly translator: Translator) {}

  /** The link's page: a button, so that link scanners opening the URL unsubscribe nobody. */
  ask(token: string, lang: AppLanguage): string {
    return render({
      lang,
      title: this.t(lang, 'askTitle'),
      paragraphs: [this.t(lang, 'askText')],
      button: this.t(lang, 'button'),
      action: `/unsubscribe/${encodeURIComponent(token)}`,
    });
  }

  /** After the button: what stopped, for which address. */
  done(result: { scope: UnsubscribeScope; email: string }, lang: AppLanguage): string {
    const what = this.t(lang, `what.${result.scope}`);
    return render({ lang, title: this.t(lang, 'doneTitle'), paragraphs: [this.t(lang, 'doneText', { email: result.email, what })], settings: this.settings(lang) });
  }

  /** A link that is not valid (any more): the refusal in words. */
  refused(lang: AppLanguage): string {
    return render({ lang, title: this.t(lang, 'refusedTitle'), paragraphs: [this.t(lang, 'refused')], settings: this.settings(lang) });
  }

  private settings(lang: AppLanguage): { link: string; after: string } {
    return { link: this.t(lang, 'settingsLink'), after: this.t(lang, 'settingsAfter') };
  }

  private t(lang: AppLanguage, key: string, values?: Record<string, unknown>): string {
    // i18next leaves values unescaped (i18n.ts); handlebars escapes the page's values.
    return this.translator.t(lang, `${APP_NAMESPACE}:unsubscribePage.${key}`, values);
  }
}
