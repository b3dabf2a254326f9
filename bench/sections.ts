import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Replaces (or appends) one "## " section of docs/benchmarks.md, leaving the others as they are. */
export function writeSection(file: string, heading: string, body: string): void {
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nOne section per benchmark; each is rewritten only by its own benchmark.\n';
  const lines = doc.trimEnd().split('\n');
  let start = lines.indexOf(heading);
  if (start < 0) start = lines.push('', heading) - 1;
  let end = start + 1;
  while (end < lines.length && !lines[end].startsWith('## ')) end++;
  lines.splice(start, end - start, heading, '', body.trimEnd(), ...(end < lines.length ? [''] : []));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/**
 * Highest resident memory seen while `work` runs, sampled every 20 ms. With memoryUsage.rss(), not
 * memoryUsage(): the latter also walks the heap's spaces, and took 3% of the measured CPU time of
 * the reminders benchmark.
 */
export async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number; baselineRssMb: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakRssMb: peak / 2 ** 20, baselineRssMb: baseline / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

export function machineLine(): string {
   
  const os = require('node:os') as typeof import('node:os');
  return `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average ${os.loadavg()[0].toFixed(2)} at start`;
}
