import autocannon from 'autocannon';
import { Percentiles, percentiles } from './stats';

export interface LoadOptions {
  baseUrl: string;
  token: string;
  /** Called for every request, so a scenario can vary its path (e.g. a random id). */
  path: () => string;
  seconds: number;
  connections: number;
  /** The server's CPU time so far, in milliseconds. */
  serverCpuMs: () => Promise<number>;
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
  /** Connection errors, timeouts and non-2xx answers: any of them fails the benchmark. */
  failures: number;
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
  const cpuBefore = await options.serverCpuMs();
  const result = await run(options, (ms) => latencies.push(ms));
  const cpu = (await options.serverCpuMs()) - cpuBefore;
  return {
    ...percentiles(latencies),
    connections: options.connections,
    requestsPerSecond: latencies.length / result.duration,
    serverCpuMsPerRequest: cpu / Math.max(1, result.requests.total),
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

async function run(options: LoadOptions, record: (ms: number) => void): Promise<autocannon.Result> {
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.seconds,
    // autocannon stops at its first sample after the duration: every second by default, which
    // would stretch a half-second smoke measurement to a whole second.
    sampleInt: 100,
    timeout: 10,
    headers: { authorization: `Bearer ${options.token}` },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: options.path() }) }],
  });
  instance.on('response', (_client, statusCode, _bytes, ms) => {
    if (statusCode >= 200 && statusCode < 300) record(ms);
  });
  return instance;
}
