import express from 'express';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fairTurns } from '../src/common/fair-turns';

/**
 * Why fairTurns exists, on real sockets: a server kept busy by open keep-alive connections, and
 * newcomers arriving together. Counted in requests served, not in time: how many answers the busy
 * connections got between the newcomers' arrival and the last newcomer's first answer.
 */
async function servedBeforeNewcomers(withFairTurns: boolean): Promise<number> {
  const app = express();
  if (withFairTurns) app.use(fairTurns());
  let served = 0;
  app.get('/', (_request, response) => {
    // A few milliseconds of CPU per request, as a search costs.
    const until = performance.now() + 3;
    while (performance.now() < until);
    served++;
    response.end('ok');
  });
  const server = http.createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const busyAgent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  let stopped = false;
  const get = (agent: http.Agent) => new Promise<void>((done, fail) => {
    http.get({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
      response.resume();
      response.on('end', done);
    }).on('error', fail);
  });
  const busy = Array.from({ length: 10 }, async () => {
    while (!stopped) await get(busyAgent);
  });
  try {
    // The busy connections open and keep the server saturated.
    while (served < 50) await new Promise((done) => setTimeout(done, 5));
    const before = served;
    // Ten newcomers at once, each on a connection of its own.
    await Promise.all(Array.from({ length: 10 }, () => get(new http.Agent({ keepAlive: false }))));
    return served - before;
  } finally {
    stopped = true;
    await Promise.all(busy);
    busyAgent.destroy();
    server.close();
  }
}

describe('fairTurns on a saturated server', () => {
  it('should admit newcomers after a few requests, where without it they wait behind many rounds of the busy connections', async () => {
    const without = await servedBeforeNewcomers(false);
    const withTurns = await servedBeforeNewcomers(true);
    // Ten newcomers and ten busy connections: one turn per request lets each newcomer in within about
    // one request per busy connection; without it, each newcomer waits for a whole round of them.
    // (Measured: 70 without, 29 with.) The control shows the setup does saturate the server.
    expect(withTurns).toBeLessThanOrEqual(40);
    expect(without).toBeGreaterThanOrEqual(withTurns * 1.5);
  }, 60_000);
});
