import { RetryLaterException } from './retry-later.exception';
import { WorkQueue } from './work-queue';

const queue = (concurrency: number, maxQueued: number) => new WorkQueue({
  name: 'things', doing: 'running', settings: 'X=1', concurrency, maxQueued, maxWaitMs: 1000, expectedTurnMs: 3000,
});

describe('WorkQueue', () => {
  afterEach(() => jest.useRealTimers());

  it('should give turns in the order asked for when one is released', async () => {
    const q = queue(1, 5);
    const first = await q.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => q.acquire().then((release) => {
      order.push(n);
      release();
    }));
    expect(q.stats).toEqual({ running: 1, waiting: 3 });
    first();
    first(); // a second call must not free a second turn
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(q.stats).toEqual({ running: 0, waiting: 0 });
  });

  it('should refuse with 503 and Retry-After when the queue is full', async () => {
    jest.useFakeTimers(); // the waiter's time limit never runs out here
    const q = queue(2, 1);
    await q.acquire();
    await q.acquire();
    void q.acquire().catch(() => undefined);
    const refusal = await q.acquire().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RetryLaterException);
    const { retryAfterSeconds } = refusal as RetryLaterException;
    // Two running and one waiting, at the expected 3 s a turn, on two places: 1.5 rounds, 4.5 s.
    expect(retryAfterSeconds).toBe(5);
    expect((refusal as RetryLaterException).getResponse()).toMatchObject({
      statusCode: 503, message: 'Too many things at once: 2 running and 1 waiting, the most this server takes (X=1). Try again in 5 s.',
      details: { running: 2, waiting: 1, retryAfterSeconds: 5 },
    });
  });

  it('should refuse a caller that waited longer than maxWaitMs, and leave its place to the next', async () => {
    jest.useFakeTimers();
    const q = queue(1, 2);
    const release = await q.acquire();
    const late = q.acquire().catch((error: unknown) => error);
    jest.advanceTimersByTime(1001);
    await expect(late).resolves.toBeInstanceOf(RetryLaterException);
    expect(q.stats).toEqual({ running: 1, waiting: 0 });
    const next = q.acquire();
    release();
    await expect(next.then((r) => typeof r)).resolves.toBe('function');
  });
});
