// The application runs as CommonJS on Node 20, which loads NestJS 12's ES modules through
// require(esm). Jest's own module loader cannot do that before Node 24.9, so the ES-module-only
// packages below are compiled to CommonJS with Babel for the test run (cached after the first run).
const esmOnlyPackages = [
  '@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit',
  'load-esm', 'uid', '@standard-schema', 'commander', 'ical-generator', 'smtp-server', 'mailparser', 'nodemailer',
  // The benchmark's Fastify contestant (test/fastify-contestant.e2e-spec.ts): @fastify/middie and
  // @fastify/cookie each have their own ES-module-only copy of path-to-regexp and cookie, which
  // @fastify/cookie loads with a dynamic import().
  '@fastify/middie', 'path-to-regexp', '@fastify/cookie', 'cookie',
];

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  testTimeout: 60000,
  // Says in one line what the machine lacks (Chromium, PostgreSQL, Node) before any suite starts,
  // then migrates the database template the suites copy (test/support/migrated-template.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.js$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: [
          require.resolve('./test/support/import-meta-to-filename.js'),
          '@babel/plugin-transform-dynamic-import',
          '@babel/plugin-transform-modules-commonjs',
        ],
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
};
