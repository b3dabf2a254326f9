// autocannon ships no types; this declares only the part of its programmatic API the benchmark uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      body?: string;
      /** Merged over the instance's headers. */
      headers?: Record<string, string>;
      /** Called before every request; returns the request to send. */
      setupRequest?: (request: Request, context: object) => Request;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Milliseconds between samples; the run stops at the first sample after `duration`. */
      sampleInt?: number;
      /** Seconds a request may take before it counts as a timeout. */
      timeout?: number;
      headers?: Record<string, string>;
      requests?: Request[];
    }

    interface Result {
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
      requests: { average: number; total: number };
    }

    interface Instance extends EventEmitter, PromiseLike<Result> {
      /** (client, statusCode, bytes, responseTime in ms with sub-millisecond precision) */
      on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): this;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
