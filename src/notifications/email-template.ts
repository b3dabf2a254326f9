import Handlebars from 'handlebars';
import { RecentlyMade } from './recently-made';

/**
 * One template for both parts of every email. The block helpers write markup in the HTML
 * rendering and plain layout in the text rendering; in HTML every {{value}} is escaped.
 */
const TEMPLATE = `{{#heading}}{{title}}{{/heading}}
{{#para}}{{greeting}}{{/para}}
{{#para}}{{intro}}{{/para}}
{{#each items}}
{{#section}}
{{#strong}}{{headline}}{{/strong}}
{{#each lines}}
{{#line}}{{this}}{{/line}}
{{/each}}
{{#if url}}{{link url linkLabel}}{{/if}}
{{/section}}
{{/each}}
{{#footer}}
{{#line}}{{reason}}{{/line}}
{{#line}}{{link preferencesUrl preferencesLabel}}{{/line}}
{{#line}}{{link unsubscribeUrl unsubscribeLabel}}{{/line}}
{{/footer}}
`;

/** Every text already in the recipient's language (EmailComposer translates; this only lays out). */
export interface EmailView {
  /** The recipient's language, for `<html lang>`. */
  lang: string;
  title: string;
  /** "Hello Ana," */
  greeting: string;
  intro: string;
  /** Why the person receives it (their role in the coalition). */
  reason: string;
  preferencesLabel: string;
  items: { headline: string; lines: string[]; url?: string; linkLabel?: string }[];
  preferencesUrl: string;
  unsubscribeUrl: string;
  unsubscribeLabel: string;
}

function htmlEnvironment(): typeof Handlebars {
  const hb = Handlebars.create();
  const wrap = (tag: string, style = '') => function (this: unknown, options: Handlebars.HelperOptions) {
    return new hb.SafeString(`<${tag}${style ? ` style="${style}"` : ''}>${options.fn(this).trim()}</${tag}>\n`);
  };
  hb.registerHelper('heading', wrap('h2', 'font-family:sans-serif;color:#1a365d'));
  hb.registerHelper('para', wrap('p', 'font-family:sans-serif'));
  hb.registerHelper('section', wrap('div', 'font-family:sans-serif;border-left:3px solid #2b6cb0;padding:4px 12px;margin:12px 0'));
  hb.registerHelper('strong', wrap('p', 'font-weight:bold;margin:4px 0'));
  hb.registerHelper('line', wrap('div', 'margin:2px 0'));
  hb.registerHelper('footer', wrap('div', 'font-family:sans-serif;font-size:12px;color:#555;margin-top:24px'));
  hb.registerHelper('link', (url: string, label: string) =>
    new hb.SafeString(`<a href="${hb.escapeExpression(url)}">${hb.escapeExpression(label)}</a>`));
  return hb;
}

function textEnvironment(): typeof Handlebars {
  const hb = Handlebars.create();
  const block = (before: string, after: string) => function (this: unknown, options: Handlebars.HelperOptions) {
    return `${before}${options.fn(this).trim()}${after}`;
  };
  hb.registerHelper('heading', function (this: unknown, options: Handlebars.HelperOptions) {
    const text = options.fn(this).trim();
    return `${text}\n${'='.repeat(Math.min(text.length, 70))}\n`;
  });
  hb.registerHelper('para', block('', '\n'));
  hb.registerHelper('section', block('\n', '\n'));
  hb.registerHelper('strong', block('* ', '\n'));
  hb.registerHelper('line', block('  ', '\n'));
  hb.registerHelper('footer', block('\n--\n', '\n'));
  hb.registerHelper('link', (url: string, label: string) => `${label}: ${url}`);
  return hb;
}

const renderHtml = htmlEnvironment().compile(TEMPLATE);
const renderText = textEnvironment().compile(TEMPLATE, { noEscape: true });

export function renderEmail(view: EmailView): { html: string; text: string } {
  const body = renderHtml(view);
  return {
    html: `<!doctype html><html lang="${Handlebars.escapeExpression(view.lang)}"><head><meta charset="utf-8"><title>${Handlebars.escapeExpression(view.title)}</title></head><body>\n${body}</body></html>`,
    text: renderText(view).replace(/\n{3,}/g, '\n\n').trim() + '\n',
  };
}

/** Stand in for the two per-recipient values while an email is rendered for many (see EmailRenderings). */
const GREETING = '\u0000greeting\u0000';
const UNSUBSCRIBE_URL = '\u0000unsubscribe\u0000';

/**
 * renderEmail for the many recipients of the same notices: everything but the greeting (the name)
 * and the unsubscribe link (its token) is the same for all the members an email goes to, so it is
 * rendered once, with stand-ins for those two, and each email puts its own in. The result is what
 * renderEmail gives, character for character: the stand-ins are the whole content of the paragraph
 * and link they are in, and take what the templates do to a value there (HTML escaping, trimmed
 * ends); a greeting or link that could come out otherwise (a line break, space at either end,
 * empty) is rendered by renderEmail itself. Rendering with Handlebars was a fifth of what a reminder
 * email allocated (170 of 845 KB): the more an email allocates, the more often young-generation
 * GCs run, and the more of the emails in flight they promote to the old generation.
 */
export class EmailRenderings {
  private readonly made: RecentlyMade<{ html: string; text: string } | null>;
  /** Each notice's lines (EmailComposer keeps one object per notice text) by a number, for the key. */
  private readonly itemIds = new WeakMap<object, number>();
  private nextItemId = 0;

  constructor(limit = 200) {
    this.made = new RecentlyMade(limit);
  }

  render(view: EmailView): { html: string; text: string } {
    if (!substitutable(view.greeting) || !substitutable(view.unsubscribeUrl)) return renderEmail(view);
    const items = view.items.map((item) => {
      let id = this.itemIds.get(item);
      if (id === undefined) this.itemIds.set(item, (id = this.nextItemId++));
      return id;
    });
    const key = JSON.stringify([view.lang, view.title, view.intro, view.reason, view.preferencesLabel, view.preferencesUrl, view.unsubscribeLabel, items]);
    const shared = this.made.get(key, () => {
      const rendered = renderEmail({ ...view, greeting: GREETING, unsubscribeUrl: UNSUBSCRIBE_URL });
      // Each stand-in once in each part, or (a notice's text has one) they are not used.
      const once = (part: string, standIn: string) => part.includes(standIn) && part.indexOf(standIn) === part.lastIndexOf(standIn);
      return [GREETING, UNSUBSCRIBE_URL].every((standIn) => once(rendered.html, standIn) && once(rendered.text, standIn)) ? rendered : null;
    });
    if (!shared) return renderEmail(view);
    return {
      html: shared.html.replace(GREETING, () => Handlebars.escapeExpression(view.greeting)).replace(UNSUBSCRIBE_URL, () => Handlebars.escapeExpression(view.unsubscribeUrl)),
      text: shared.text.replace(GREETING, () => view.greeting).replace(UNSUBSCRIBE_URL, () => view.unsubscribeUrl),
    };
  }
}

/** A value the templates put in as it is (escaped in HTML): no line break, no space at either end, not empty. */
function substitutable(value: string): boolean {
  return value.length > 0 && value.trim() === value && !value.includes('\r') && !value.includes('\n') && !value.includes('\u0000');
}
