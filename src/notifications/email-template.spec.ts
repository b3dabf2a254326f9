import { EmailRenderings, type EmailView, renderEmail } from './email-template';

const items: EmailView['items'] = [
  { headline: 'Reminder: Submission 1 is due on Wed 10 Mar 2027, 00:00 UTC', lines: ['4th UPR cycle — United States of America', 'Recommendation 12.3: "ratify" <the> convention & more'], url: 'https://upr.example.org/recommendations/7?x=1&y=2', linkLabel: 'Open the recommendation' },
  { headline: 'Reminder: Submission 2', lines: [], url: 'https://upr.example.org/recommendations?cycleId=4', linkLabel: 'Open the cycle' },
  { headline: 'Status changed', lines: ['\n\n\nline with breaks\n\n\n', '  spaced  '] },
];

function view(greeting: string, unsubscribeUrl: string, notices = items): EmailView {
  return {
    lang: 'fr',
    title: 'Rappel : 3 échéances <à venir>',
    greeting,
    intro: 'Vous avez 3 mises à jour.',
    reason: 'Vous recevez ce courriel parce que vous êtes membre de « Coalition & Co ».',
    preferencesLabel: 'Préférences',
    items: notices,
    preferencesUrl: 'https://upr.example.org/settings',
    unsubscribeUrl,
    unsubscribeLabel: 'Se désabonner',
  };
}

describe('EmailRenderings (renderEmail, once for all the recipients of the same notices)', () => {
  it('should give what renderEmail gives, for every recipient after the first', () => {
    const renderings = new EmailRenderings();
    const recipients: [string, string][] = [
      ['Bonjour Ana,', 'https://upr.example.org/unsubscribe/abc.def'],
      ['Bonjour <b>Zoë</b> & "Co" $& $1,', 'https://upr.example.org/unsubscribe/x?a=1&b="2"'],
      ['Hola, José', 'https://upr.example.org/unsubscribe/$$'],
    ];
    for (const [greeting, url] of recipients) {
      expect(renderings.render(view(greeting, url))).toEqual(renderEmail(view(greeting, url)));
    }
    for (const notices of [[], items.slice(0, 1)]) {
      expect(renderings.render(view('Hello Ana,', 'https://u.example.org/1', notices))).toEqual(renderEmail(view('Hello Ana,', 'https://u.example.org/1', notices)));
    }
  });

  it('should render the shared part once, and each email with its own greeting and link', () => {
    const renderings = new EmailRenderings();
    const first = renderings.render(view('Bonjour Ana,', 'https://upr.example.org/unsubscribe/1'));
    const second = renderings.render(view('Bonjour Bea,', 'https://upr.example.org/unsubscribe/2'));
    expect(second.html).toContain('Bonjour Bea,');
    expect(second.text).toContain('https://upr.example.org/unsubscribe/2');
    expect(second.html).not.toContain('Ana');
    expect(second.html.replace('Bea', 'Ana').replace('/unsubscribe/2', '/unsubscribe/1')).toBe(first.html);
  });

  it('should give what renderEmail gives for a greeting or link the templates would change (line breaks, spaces at the ends, empty)', () => {
    const renderings = new EmailRenderings();
    for (const [greeting, url] of [['  Hello Ana, ', 'https://u.example.org/1'], ['Hello\n\n\n\nAna,', 'https://u.example.org/1'], ['', 'https://u.example.org/1'], ['Hello Ana,', 'https://u.example.org/1 ']]) {
      expect(renderings.render(view(greeting, url))).toEqual(renderEmail(view(greeting, url)));
    }
  });

  it('should give what renderEmail gives when a notice carries the stand-in text itself', () => {
    const renderings = new EmailRenderings();
    const odd = [{ headline: 'Odd \u0000greeting\u0000 and \u0000unsubscribe\u0000', lines: [] }];
    expect(renderings.render(view('Hello Ana,', 'https://u.example.org/1', odd))).toEqual(renderEmail(view('Hello Ana,', 'https://u.example.org/1', odd)));
  });
});
