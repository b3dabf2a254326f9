import type { Request, Response } from 'express';
import { fairTurns } from './fair-turns';

const turn = () => new Promise<void>((done) => setImmediate(done));

describe('fairTurns', () => {
  const request = {} as Request;
  const response = {} as Response;

  it('should start the requests that arrived together one per turn of the event loop, in arrival order', async () => {
    const admit = fairTurns();
    const started: number[] = [];
    for (let i = 0; i < 4; i++) admit(request, response, () => started.push(i));
    // Nothing runs in the turn the requests arrived in: the loop gets back to its sockets first.
    expect(started).toEqual([]);
    await turn();
    expect(started).toEqual([0]);
    await turn();
    expect(started).toEqual([0, 1]);
    await turn();
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('should let a request that arrives later wait behind those already waiting', async () => {
    const admit = fairTurns();
    const started: string[] = [];
    admit(request, response, () => started.push('first'));
    admit(request, response, () => {
      started.push('second');
      admit(request, response, () => started.push('late'));
    });
    admit(request, response, () => started.push('third'));
    for (let i = 0; i < 5; i++) await turn();
    expect(started).toEqual(['first', 'second', 'third', 'late']);
  });
});
