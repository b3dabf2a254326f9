import Handlebars from 'handlebars';

const render = Handlebars.compile(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Unsubscribe – upr-followup</title></head>
<body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">
<h1>Stop these emails?</h1>
<p>Press the button to stop this kind of email from upr-followup. Overdue notices for deadlines assigned to you still arrive.</p>
<form method="post" action="{{action}}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="font-size:1rem;padding:.5rem 1rem">Unsubscribe</button></form>
</body></html>`);

export function unsubscribePage(token: string): string {
  return render({ action: `/unsubscribe/${encodeURIComponent(token)}` });
}
