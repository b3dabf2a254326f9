import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const LOCK = join(ROOT, 'dist', '.build-lock');
const STAMP = join(ROOT, 'dist', '.build-inputs');
const STALE_MS = 5 * 60_000;
/** What `npm run build` reads: when none of it changed since the last build, dist is current. */
const INPUTS = ['src', 'config', 'migrations', 'bench', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/**
 * Builds what `npm start` runs (`npm run build`: tsc, incremental, plus the pages' templates and
 * assets) for the suites that start real server processes. Suites run in parallel workers, so
 * the build takes a lock directory: two tsc runs writing the same files at once would leave a
 * half-written dist for the other suite's child to load.
 */
export function buildApp(): void {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const giveUpAt = Date.now() + STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (isStale()) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > giveUpAt) throw new Error(`another build still holds ${LOCK}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    // Five suites start real servers, on each database: an incremental tsc that finds nothing to do
    // still costs seconds of CPU each time, so the build is skipped when its inputs are unchanged.
    const inputs = describeInputs();
    if (readStamp() === inputs) return;
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
    writeFileSync(STAMP, inputs);
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the build failed:\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function isStale(): boolean {
  try {
    return Date.now() - statSync(LOCK).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

/** Every input file's path, size and modification time, in one string (a few hundred files). */
function describeInputs(): string {
  const lines: string[] = [];
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const entry of readdirSync(path).sort()) visit(join(path, entry));
    else lines.push(`${path} ${stat.size} ${stat.mtimeMs}`);
  };
  for (const input of INPUTS) visit(join(ROOT, input));
  return lines.join('\n');
}

function readStamp(): string | null {
  try {
    return readFileSync(STAMP, 'utf8');
  } catch {
    return null;
  }
}
