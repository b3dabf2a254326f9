import { readdirSync, readFileSync } from 'node:fs';

export interface TreeProcess {
  pid: number;
  ppid: number;
  /** The kernel's short name (/proc/<pid>/comm), e.g. "chromium" or "node". */
  name: string;
  /** The command line, arguments separated by spaces (Chromium's helpers say which they are: --type=renderer). */
  args: string;
  /** Resident set size in bytes (memory shared between processes counts once per process); 0 unless asked for. */
  rssBytes: number;
  /** Proportional set size in bytes (shared pages split between the processes sharing them, so sums are honest); 0 unless asked for. */
  pssBytes: number;
}

/**
 * The live processes descended from `root` (not `root` itself), read from Linux's /proc. Used to
 * count the Chromium processes a server has started and, with `memory`, the memory they hold.
 */
export function descendants(root: number = process.pid, memory = false): TreeProcess[] {
  const children = new Map<number, { pid: number; name: string }[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  }
  const result: TreeProcess[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of children.get(parent) ?? []) {
      queue.push(child.pid);
      result.push({
        ...child, ppid: parent, args: readText(child.pid, 'cmdline').split('\0').join(' ').trim(),
        rssBytes: memory ? kilobytes(child.pid, 'status', 'VmRSS') : 0,
        pssBytes: memory ? kilobytes(child.pid, 'smaps_rollup', 'Pss') : 0,
      });
    }
  }
  return result;
}

/** Descendants that are Chromium (the browser and its zygote, renderer, GPU and utility processes). */
export function chromiumDescendants(root: number = process.pid, memory = false): TreeProcess[] {
  return descendants(root, memory).filter((p) => /chrom/i.test(p.name));
}

/** The browsers themselves: the Chromium processes whose parent is not a Chromium. */
export function chromiumBrowsers(root: number = process.pid): TreeProcess[] {
  const chromium = chromiumDescendants(root);
  const pids = new Set(chromium.map((p) => p.pid));
  return chromium.filter((p) => !pids.has(p.ppid));
}

/** Whether the process runs (a zombie, exited but not yet reaped, does not), whoever its parent is now. */
export function isRunning(pid: number): boolean {
  return readStat(pid) !== null;
}

function readStat(pid: number): { pid: number; ppid: number; name: string } | null {
  const stat = readText(pid, 'stat');
  // The name is in parentheses and may itself hold spaces or parentheses: the fields after it start at the last ')'.
  const close = stat.lastIndexOf(')');
  if (close < 0) return null; // exited while being read
  const [state, ppid] = stat.slice(close + 2).split(' ');
  if (state === 'Z') return null; // exited, not yet reaped by its parent
  return { pid, ppid: Number(ppid), name: stat.slice(stat.indexOf('(') + 1, close) };
}

function kilobytes(pid: number, file: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readText(pid, file));
  return match ? Number(match[1]) * 1024 : 0;
}

function readText(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return ''; // exited while being read
  }
}
