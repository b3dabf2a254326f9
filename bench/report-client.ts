// One report download, in a process of its own (forked by report.bench.ts), as a browser or a
// script would fetch it: reading 50 MB of body costs CPU that must not be taken from the server's
// event loop. Argument: JSON { url, token }; answers DownloadTiming over IPC.
import { performance } from 'node:perf_hooks';

export interface DownloadTiming {
  firstByteMs: number;
  totalMs: number;
  bytes: number;
}

async function download(url: string, token: string): Promise<DownloadTiming> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200 || !response.body) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  let firstByteMs = 0;
  let bytes = 0;
  for await (const chunk of response.body) {
    if (bytes === 0) firstByteMs = performance.now() - started;
    bytes += (chunk as Uint8Array).byteLength;
  }
  return { firstByteMs, totalMs: performance.now() - started, bytes };
}

const { url, token } = JSON.parse(process.argv[2]) as { url: string; token: string };
download(url, token).then(
  (timing) => process.send!({ timing }, () => process.exit(0)),
  (error: Error) => process.send!({ error: error.message }, () => process.exit(1)),
);
