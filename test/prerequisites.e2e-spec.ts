import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** The test command on a machine that lacks something: one line says what, before any suite runs. */
describe('test prerequisites (test/support/prerequisites.ts)', () => {
  function runTests(env: Record<string, string>) {
    return spawnSync(process.execPath, [join(ROOT, 'node_modules/jest/bin/jest.js'), 'src/common/work-queue.spec.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
  }

  it('should stop before any suite, in one line naming Chromium and how to install it, when Chromium is missing', () => {
    const run = runTests({ CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter((line) => line.includes('cannot run'));
    expect(lines).toEqual(['The tests cannot run on this machine; missing: Chromium at /nonexistent/chromium, for the browser suites and PDF reports: apt-get install -y chromium (or set CHROMIUM_PATH).']);
    expect(run.stderr).not.toMatch(/PASS|FAIL/);
  });

  it('should say so in one line when the PostgreSQL it is given does not answer', () => {
    const run = runTests({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^The tests cannot run on this machine; missing: PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/test \(.*\): start it, e\.g\. pg_ctlcluster .*$/m);
    expect(run.stderr).not.toMatch(/PASS|FAIL/);
  });

  it('should run the suites when nothing is missing', () => {
    const run = runTests({});
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/PASS src\/common\/work-queue\.spec\.ts/);
  });
});
