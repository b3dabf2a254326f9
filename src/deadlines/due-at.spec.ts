import { computeDueAt } from './due-at';

describe('computeDueAt', () => {
  it('should convert a local time in New York to UTC (EST, UTC-5)', () => {
    expect(computeDueAt('2026-01-15', '09:00', 'America/New_York').toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it('should use daylight time in summer (EDT, UTC-4)', () => {
    expect(computeDueAt('2026-07-15', '09:00', 'America/New_York').toISOString()).toBe('2026-07-15T13:00:00.000Z');
  });

  it('should default to the end of the local day when no time is given', () => {
    expect(computeDueAt('2026-03-01', null, 'Europe/Berlin').toISOString()).toBe('2026-03-01T22:59:00.000Z');
  });

  it('should move a time in the spring-forward gap forward by the gap', () => {
    // 2026-03-08 02:30 does not exist in New York: clocks jump from 02:00 EST to 03:00 EDT.
    expect(computeDueAt('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });
});
