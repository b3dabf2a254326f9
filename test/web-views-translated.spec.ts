import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every text of a signed-in or account page comes from the application's catalogue (issue 13): a
 * word typed into a template would show English to a Spanish reader. The public intake form's
 * templates (testify-*) have their own four-language catalogue and their own test
 * (testify-form.e2e-spec). Text inside <code> (an API path shown to admins) is not prose.
 * The page tests (web/spanish*.e2e-spec) check what code puts on the pages; this checks the templates,
 * including any page added later.
 */
const VIEWS = join(__dirname, '..', 'src', 'web', 'views');

function templates(): { name: string; source: string }[] {
  const files = [
    ...readdirSync(VIEWS).map((file) => join(VIEWS, file)),
    ...readdirSync(join(VIEWS, 'partials')).map((file) => join(VIEWS, 'partials', file)),
  ];
  return files
    .filter((file) => file.endsWith('.hbs') && !file.split('/').pop()!.startsWith('testify'))
    .map((file) => ({ name: file.slice(VIEWS.length + 1), source: readFileSync(file, 'utf8') }));
}

/** What a reader would see of a template once every handlebars expression is taken out. */
function literalText(source: string): { prose: string[]; attributes: string[] } {
  const withoutExpressions = source
    .replace(/\{\{!--[\s\S]*?--\}\}/g, '')
    .replace(/\{\{\{?[\s\S]*?\}?\}\}/g, '');
  const attributes = [...withoutExpressions.matchAll(/\b(?:aria-label|placeholder|title|alt)="([^"]*)"/g)]
    .map((m) => m[1])
    .filter((value) => /[A-Za-z]{2}/.test(value));
  const prose = withoutExpressions
    .replace(/<(script|style|code)\b[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .match(/[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})*/g) ?? [];
  return { prose, attributes };
}

describe('page templates', () => {
  it('should find the templates it checks', () => {
    const names = templates().map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['layout.hbs', 'recommendation.hbs', 'testimony-list.hbs', 'partials/audit-entries.hbs']));
    expect(names.some((name) => name.startsWith('testify'))).toBe(false);
  });

  it.each(templates().map((t) => [t.name, t.source]))('%s should take every word from the catalogue', (_name, source) => {
    expect(literalText(source)).toEqual({ prose: [], attributes: [] });
  });

  it('should catch a word typed into a template', () => {
    expect(literalText('<p>{{t "app:x"}} Save now</p>').prose).toEqual(['Save now']);
    expect(literalText('<input placeholder="Search">').attributes).toEqual(['Search']);
    expect(literalText('<p><code>GET /api/v1/x</code> {{value}}</p>')).toEqual({ prose: [], attributes: [] });
  });
});
