// The web pages' templates and static files are not TypeScript, so tsc does not copy them: the
// compiled app finds them next to its own code (dist/src/web/...), as Jest finds them in src/web.
const { cpSync } = require('node:fs');
for (const dir of ['views', 'public']) cpSync(`src/web/${dir}`, `dist/src/web/${dir}`, { recursive: true });
// The message catalogues (src/i18n/locales/*.json), read by src/i18n/i18n.ts next to itself.
cpSync('src/i18n/locales', 'dist/src/i18n/locales', { recursive: true });
