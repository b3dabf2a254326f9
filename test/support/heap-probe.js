// Preloaded into a server process by test/soak.e2e-spec.ts (node --expose-gc -r …): on SIGURG it
// runs a full garbage collection and prints the live heap, so the test samples what the process
// really retains rather than what the collector has not yet reclaimed. Nothing runs until asked.
// SIGURG because its default is to be ignored and NestJS's shutdown hooks do not listen to it (they
// do to SIGUSR2: that one stops the server).
process.on('SIGURG', () => {
  globalThis.gc();
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stdout.write(`SOAK_HEAP ${heapUsed} ${external} ${arrayBuffers}\n`);
});
