import type { SentRecord } from './notifications.repository';
import { RecentlyMade } from './recently-made';
import { SentRecorder } from './sent-recorder';

const record = (digestId: number): SentRecord => ({
  digestId, owner: 'test', sentAt: new Date(0), messageId: `<${digestId}@test>`, toAddress: `m${digestId}@example.org`, notificationIds: [digestId * 10], accountEmail: false,
});

describe('SentRecorder (group commit of sent emails)', () => {
  it('should write the first email at once and those finishing during that write together in the next one', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const recorder = new SentRecorder(async (records) => {
      writes.push(records.map((r) => r.digestId));
      if (writes.length === 1) await new Promise<void>((done) => (release = done));
    });
    const first = recorder.record(record(1));
    const second = recorder.record(record(2));
    const third = recorder.record(record(3));
    let firstDone = false;
    void first.then(() => (firstDone = true));
    await Promise.resolve();
    // The first write is still under way: its sender has not been let go.
    expect(firstDone).toBe(false);
    release();
    await Promise.all([first, second, third]);
    expect(writes).toEqual([[1], [2, 3]]);
  });

  it('should fail every sender of a failed write, and go on writing the next ones', async () => {
    let calls = 0;
    const recorder = new SentRecorder(async () => {
      calls += 1;
      if (calls === 1) throw new Error('database gone');
    });
    await expect(recorder.record(record(1))).rejects.toThrow('database gone');
    await expect(recorder.record(record(2))).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});

describe('RecentlyMade', () => {
  it('should make a value once per key and drop the oldest made beyond its limit', () => {
    const made: string[] = [];
    const kept = new RecentlyMade<string>(2);
    const get = (key: string) => kept.get(key, () => (made.push(key), key.toUpperCase()));
    expect([get('a'), get('a'), get('b'), get('c'), get('b'), get('a')]).toEqual(['A', 'A', 'B', 'C', 'B', 'A']);
    // 'a' was the oldest when 'c' came, so it was made again.
    expect(made).toEqual(['a', 'b', 'c', 'a']);
  });
});
