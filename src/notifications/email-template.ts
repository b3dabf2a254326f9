import Handlebars from 'handlebars';

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
