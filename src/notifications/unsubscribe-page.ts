import Handlebars from 'handlebars';

/** The pages of the unsubscribe link, on the application's stylesheet (the CSP allows no inline style). */
const render = Handlebars.compile(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} – upr-followup</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><main class="narrow">
<h1>{{title}}</h1>
{{#each paragraphs}}<p>{{this}}</p>{{/each}}
{{#if action}}<form method="post" action="{{action}}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>{{/if}}
{{#if settingsLink}}<p><a href="/settings">Your email settings</a> (after signing in) change this and every other kind of email.</p>{{/if}}
</main></body></html>`);

/** The link's page: a button, so that link scanners opening the URL unsubscribe nobody. */
export function unsubscribePage(token: string): string {
  return render({
    title: 'Stop these emails?',
    paragraphs: ['Press the button to stop this kind of email from upr-followup. Overdue notices for deadlines assigned to you still arrive.'],
    action: `/unsubscribe/${encodeURIComponent(token)}`,
  });
}

/** After the button: what stopped, for which address. */
export function unsubscribedPage(result: { unsubscribed: string; email: string }): string {
  return render({ title: 'Unsubscribed', paragraphs: [`${result.email} no longer receives ${result.unsubscribed} from upr-followup.`], settingsLink: true });
}

/** A link that is not valid (any more): the refusal in words. */
export function unsubscribeRefusedPage(message: string): string {
  return render({ title: 'This link does not work', paragraphs: [message], settingsLink: true });
}
