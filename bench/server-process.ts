import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { CpuReport, ServerOptions, ServerReady } from './server';

export interface RunningServer extends ServerReady {
  /** CPU time the server process has used so far (user + system, all threads), in milliseconds. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** Forks server.js, waits until the application listens with its data loaded. */
export function startServer(options: ServerOptions, execArgv: string[] = []): Promise<RunningServer> {
  const child = fork(join(__dirname, 'server.js'), [JSON.stringify(options)], { stdio: 'inherit', execArgv });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.once('message', (message: ServerReady) => {
      resolve({
        ...message,
        cpuMs: () =>
          new Promise((answer) => {
            const onMessage = (reply: CpuReport) => {
              if (reply?.type !== 'cpu') return;
              child.off('message', onMessage);
              answer((reply.usage.user + reply.usage.system) / 1000);
            };
            child.on('message', onMessage);
            child.send('cpu');
          }),
        stop: async () => {
          if (child.connected) child.send('stop');
          await exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`the benchmark server exited with code ${code} before it was ready`)));
  });
}
