import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { Percentiles, percentiles } from './stats';

export interface LoadOptions {
  baseUrl: string;
  token: string;
  /** Called for every request, so a scenario can vary its path (e.g. a random id) and, for a write, its body. */
  request: () => HttpRequest;
  seconds: number;
  connections: number;
  /** The server's CPU time so far, in milliseconds. */
  serverCpuMs: () => Promise<number>;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  /** JSON, sent with content-type application/json. */
  body?: string;
}

export interface LoadResult extends Percentiles {
  connections: number;
  requestsPerSecond: number;
  /**
   * The server process's CPU time (user + system) over the measurement divided by the requests
   * answered: what a request costs the application, which other work on the machine hardly moves,
   * unlike latency.
   */
  serverCpuMsPerRequest: number;
  /** The load generator's own CPU time (this process: autocannon) per request answered. */
  clientCpuMsPerRequest: number;
  /**
   * Every core's busy time (/proc/stat: all processes, the database server's too) per request
   * answered. 1,000 ms per core and second divided by it is the most requests a second this machine
   * could answer with this load generator on it, however the work were spread over processes.
   */
  machineCpuMsPerRequest: number;
  /** Connection errors, timeouts and non-2xx answers: any of them fails the benchmark. */
  failures: number;
  /** The failures by cause ("409", "timeout", "error"…), for the report. */
  failureCauses: Record<string, number>;
}

/** Load whose figures are thrown away: lets the JIT, the connection pool and the page cache settle. */
export async function warmUp(options: LoadOptions): Promise<void> {
  await run(options, () => undefined);
}

/**
 * Closed-loop load: `connections` clients each send their next request as soon as the last one is
 * answered. autocannon reports latency percentiles in whole milliseconds and without p95, so
 * every response time (sub-millisecond precision) is kept here and summarised by percentiles().
 */
export async function measureHttp(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const failureCauses: Record<string, number> = {};
  const cpuBefore = await options.serverCpuMs();
  const clientBefore = process.cpuUsage();
  const machineBefore = machineBusyMs();
  const result = await run(options, (ms) => latencies.push(ms), (status) => (failureCauses[status] = (failureCauses[status] ?? 0) + 1));
  const machine = machineBusyMs() - machineBefore;
  const client = process.cpuUsage(clientBefore);
  const cpu = (await options.serverCpuMs()) - cpuBefore;
  // autocannon counts a timeout among its errors too.
  if (result.errors - result.timeouts > 0) failureCauses.error = result.errors - result.timeouts;
  if (result.timeouts > 0) failureCauses.timeout = result.timeouts;
  return {
    ...percentiles(latencies),
    connections: options.connections,
    requestsPerSecond: latencies.length / result.duration,
    serverCpuMsPerRequest: cpu / Math.max(1, result.requests.total),
    clientCpuMsPerRequest: (client.user + client.system) / 1000 / Math.max(1, result.requests.total),
    machineCpuMsPerRequest: machine / Math.max(1, result.requests.total),
    failures: result.errors + result.non2xx,
    failureCauses,
  };
}

async function run(options: LoadOptions, record: (ms: number) => void, fail: (status: string) => void = () => undefined): Promise<autocannon.Result> {
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.seconds,
    // autocannon stops at its first sample after the duration: every second by default, which
    // would stretch a half-second smoke measurement to a whole second.
    sampleInt: 100,
    timeout: 10,
    headers: { authorization: `Bearer ${options.token}` },
    requests: [{
      method: 'GET',
      setupRequest: (request) => {
        const { method, path, body } = options.request();
        if (body === undefined) return { ...request, method, path };
        // request.headers already holds the instance's (the token): add to them.
        return { ...request, method, path, body, headers: { ...request.headers, 'content-type': 'application/json' } };
      },
    }],
  });
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    if (statusCode >= 200 && statusCode < 300) record(ms);
    else fail(String(statusCode));
  });
  return instance;
}

/** Busy time of all the machine's cores so far, in ms: /proc/stat's first line, all but idle and iowait (in 1/100 s). */
export function machineBusyMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + (steal ?? 0)) * 10;
  } catch {
    return NaN;
  }
}
