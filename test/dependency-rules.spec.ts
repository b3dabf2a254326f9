import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';

// The module rules (.dependency-cruiser.cjs) run in `npm run lint` through dependency-cruiser's
// command line, which this spec runs too: its API is ES modules only, with no CommonJS entry for Jest.
const root = join(__dirname, '..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const baselineFile = '.dependency-cruiser-known-violations.json';

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/** The arguments of `npm run lint:dependencies` after `depcruise`, so the spec checks what lint runs. */
function lintArguments(): string[] {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
  expect(scripts.lint).toContain('npm run --silent lint:dependencies');
  const [command, ...args] = scripts['lint:dependencies'].split(' ');
  expect(command).toBe('depcruise');
  return args;
}

async function runDepcruise(cwd: string, args: string[]): Promise<{ exitCode: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [depcruise, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { exitCode: 0, stdout };
  } catch (error) {
    if (typeof error.code !== 'number') throw error;
    return { exitCode: error.code, stdout: error.stdout };
  }
}

const describeViolation = (violation: Violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`;

describe('module dependency rules', () => {
  it('should find no violation beyond the baseline, and none in the baseline that is gone, in the sources', async () => {
    // commander keeps the last --output-type
    const { exitCode, stdout } = await runDepcruise(root, [...lintArguments(), '--output-type', 'json']);
    const violations = (JSON.parse(stdout).summary.violations as Violation[]);
    const baseline = JSON.parse(readFileSync(join(root, baselineFile), 'utf8')) as Violation[];

    expect(violations.filter((violation) => violation.rule.severity !== 'ignore').map(describeViolation)).toEqual([]);
    expect(exitCode).toBe(0);
    // A fixed violation must leave the baseline too (npm run lint:dependencies:baseline), so that it
    // cannot come back unnoticed.
    const remaining = new Set(violations.map(describeViolation));
    expect(baseline.map(describeViolation).filter((known) => !remaining.has(known))).toEqual([]);
  });

  describe('with violations planted in a copy of the sources', () => {
    let copy: string;
    const planted: Record<string, string> = {
      // common imports a feature
      'src/common/planted.ts': "import { Recommendation } from '../recommendations/recommendation.entity';\nexport const planted = Recommendation;\n",
      // cycles imports recommendations, which imports cycles: a pair importing each other (a type-only import counts)
      'src/cycles/planted.ts': "import type { Recommendation } from '../recommendations/recommendation.entity';\nexport type Planted = Recommendation;\n",
      // a feature reaches into notifications past NotificationPlanner
      'src/deadlines/planted.ts': "import { NotificationsRepository } from '../notifications/notifications.repository';\nexport const planted = NotificationsRepository;\n",
      // a migration imports application code
      'migrations/1999999999999-planted.ts': "import { SystemClock } from '../src/common/clock';\nexport const planted = SystemClock;\n",
      // the application imports test code
      'src/web/planted.ts': "import { helper } from '../../test/planted-helper';\nexport const planted = helper;\n",
      'test/planted-helper.ts': 'export const helper = 1;\n',
    };

    beforeAll(() => {
      copy = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
      for (const entry of ['src', 'config', 'migrations', 'tsconfig.json', '.dependency-cruiser.cjs', baselineFile]) {
        cpSync(join(root, entry), join(copy, entry), { recursive: true });
      }
      for (const [path, text] of Object.entries(planted)) {
        mkdirSync(dirname(join(copy, path)), { recursive: true });
        writeFileSync(join(copy, path), text);
      }
    });

    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    it('should fail lint naming each planted import and nothing else', async () => {
      const { exitCode, stdout } = await runDepcruise(copy, lintArguments());

      const reported = [...stripVTControlCharacters(stdout).matchAll(/^\s*error (\S+): (\S+) → (\S+)$/gm)]
        .map(([, rule, from, to]) => `${rule}: ${from} → ${to}`)
        .sort();
      expect(reported).toEqual([
        'foundation-imports-no-feature: src/common/planted.ts → src/recommendations/recommendation.entity.ts',
        'migrations-stand-alone: migrations/1999999999999-planted.ts → src/common/clock.ts',
        'no-test-code-in-app: src/web/planted.ts → test/planted-helper.ts',
        'no-upward-import: src/cycles/planted.ts → src/recommendations/recommendation.entity.ts',
        'notifications-entry-points: src/deadlines/planted.ts → src/notifications/notifications.repository.ts',
      ]);
      expect(exitCode).not.toBe(0);
    });
  });
});
