import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const LOCK = join(ROOT, 'dist', '.build-lock');
const STALE_MS = 5 * 60_000;

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
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
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
