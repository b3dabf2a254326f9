// The allowed dependencies between the modules (issue 11), checked by dependency-cruiser in
// `npm run lint`. Violations that exist today are listed in .dependency-cruiser-known-violations.json
// and tolerated; any other violation fails lint. The list only shrinks: after a fix, rewrite it with
// `npm run lint:dependencies:baseline` (test/dependency-rules.spec.ts fails while it lists a
// violation that no longer exists). docs/architecture.md, "Module dependencies", explains the rules.

// One direction for every dependency: the layers from the bottom up. A folder may import folders of
// lower layers only; folders of one layer do not import each other. With no exception left, no two
// folders import each other and the folder graph has no cycle. The files directly in src/ (main.ts,
// cli.ts, app.module.ts, core.module.ts, app.setup.ts) compose the application and sit on top.
const LAYERS = [
  ['migrations'],
  ['config'],
  ['src/common'],
  // The domain's words and the labels pages, emails and reports share; it imports nothing.
  ['src/vocabulary'],
  // The message catalogues and the translator (issue 13): pages, emails and the command line ask it; it imports nothing.
  ['src/i18n'],
  ['src/database'],
  ['src/auth'],
  // Below the features that hand it notices (engineering.md, "Side effects flow one way").
  ['src/audit', 'src/notifications'],
  ['src/accounts'],
  // The canonical States (issue 12): every feature that writes or filters a State's name asks it.
  ['src/states', 'src/themes'],
  ['src/cycles'],
  ['src/recommendations'],
  // People's UPR intake (issue 13) beside evidence: testimony will be linked to recommendations as evidence is.
  ['src/evidence', 'src/deadlines', 'src/lineage', 'src/testimonies'],
  // Testimony triage (issue 13): links a testimony (testimonies) to recommendations as evidence (evidence).
  ['src/imports', 'src/reports', 'src/triage'],
  ['src/cycle-close', 'src/ledger', 'src/health'],
  ['src/cli', 'src/web'],
];
const FOUNDATION = ['config', 'src/common', 'src/database'];
const COMPOSITION_ROOT = '^src/[^/]+\\.ts$';

// What features may import from notifications: the outbox port and the words of a notice, the
// reminder schedule a deadline's notices follow, people's email preferences (accounts' "my
// preferences" page), and the interfaces notifications declares for the higher modules to implement.
const NOTIFICATIONS_ENTRY_POINTS = [
  'notifications-core.module',
  'notification-outbox',
  'notification-payload',
  'reminder-schedule',
  'notification-preferences.service',
  'notifications.dto',
  'recipients',
  'notice-checks',
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const folderPath = (folders) => `^(${folders.map(escape).join('|')})/`;

function upwardImportRules() {
  return LAYERS.flatMap((layer, index) =>
    layer
      // Migrations and the foundation's imports of features have rules of their own.
      .filter((folder) => folder !== 'migrations')
      .map((folder) => {
        const above = [...layer.filter((peer) => peer !== folder), ...LAYERS.slice(index + 1).flat()];
        const targets = FOUNDATION.includes(folder) ? above.filter((other) => FOUNDATION.includes(other)) : above;
        const to = [...(targets.length > 0 ? [folderPath(targets)] : []), ...(FOUNDATION.includes(folder) ? [] : [COMPOSITION_ROOT])];
        return {
          name: 'no-upward-import',
          comment: `${folder} imports only folders of lower layers (see LAYERS in .dependency-cruiser.cjs)`,
          severity: 'error',
          from: { path: folderPath([folder]) },
          to: { path: to.join('|') },
        };
      })
      .filter((rule) => rule.to.path !== ''),
  );
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'migrations-stand-alone',
      comment: 'A migration imports no application code: the code will change, the migration must not.',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^(src|config)/' },
    },
    {
      name: 'foundation-imports-no-feature',
      comment: 'config/, src/common/ and src/database/ know no feature: entities are registered by their own module.',
      severity: 'error',
      from: { path: folderPath(FOUNDATION) },
      to: { path: '^src/', pathNot: folderPath(['src/common', 'src/database']) },
    },
    ...upwardImportRules(),
    {
      name: 'notifications-entry-points',
      comment:
        'A feature hands complete notices to the outbox through NotificationOutbox (NotificationsCoreModule); ' +
        `it imports nothing else of notifications (allowed: ${NOTIFICATIONS_ENTRY_POINTS.join(', ')}). ` +
        'The delivery layers (web, cli) and the composition root may use all of it.',
      severity: 'error',
      from: { path: '^src/[^/]+/', pathNot: folderPath(['src/notifications', 'src/web', 'src/cli', ...FOUNDATION]) },
      to: {
        path: '^src/notifications/',
        pathNot: `^src/notifications/(${NOTIFICATIONS_ENTRY_POINTS.map(escape).join('|')})\\.ts$`,
      },
    },
    {
      name: 'no-test-code-in-app',
      comment: 'The application imports nothing from test/ or bench/ (they may import anything; so may the unit tests beside the code).',
      severity: 'error',
      from: { path: '^(src|config|migrations)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    // Only the project's own files are nodes; packages are neither followed nor listed.
    includeOnly: { path: '^(src|config|migrations|test|bench)/' },
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: they tie a module to another as much as value imports do.
    tsPreCompilationDeps: true,
    skipAnalysisNotInRules: true,
  },
};
