import { ChildProcess, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A port nobody listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The built service (`dist/src/main.js`, what `npm start` runs) as a child process. */
export interface ServerChild {
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
  /** The last part of what it printed, for failure messages. */
  output(): string;
  alive(): boolean;
}

/**
 * Starts the built service on a free port with only the given environment (plus PATH), so nothing
 * in the test runner's environment leaks into it. Build it first (test/support/build-app.ts).
 */
export async function spawnServer(env: Record<string, string>, outputLimit = 20_000): Promise<ServerChild> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-outputLimit);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return { port, child, exited, output: () => output, alive: () => child.exitCode === null && child.signalCode === null };
}

/** Polls until the condition holds; fails with the server's output if it does not in time, or if the server died. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, server?: ServerChild, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (server && !server.alive()) throw new Error(`the server exited (${server.child.exitCode ?? server.child.signalCode}) while waiting for ${what}:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${server ? `:\n${server.output()}` : ''}`);
    await new Promise((done) => setTimeout(done, pollMs));
  }
}
