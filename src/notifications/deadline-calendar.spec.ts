import { CalendarTexts, deadlineCalendar } from './deadline-calendar';
import type { DeadlinePayload } from './notification-payload';

const payload = (version: number): DeadlinePayload => ({
  deadline: { id: 7, version, kind: 'evidence_due', title: 'Court statistics', dueDate: '2027-03-10', dueTime: '17:00', timeZone: 'UTC', dueAt: '2027-03-10T17:00:00.000Z' },
  recommendation: null,
  cycle: { id: 3, label: 'Chile, UPR cycle 4' },
  offsetDays: 1,
});
const APP = 'https://tracker.example.org';
const at = (minutes: number) => new Date(Date.UTC(2027, 2, 9, 9, minutes));
/** DTSTAMP is when ical-generator made the text: equal texts, apart from it. */
const withoutStamp = (text: string) => text.replace(/^DTSTAMP:.*$/m, 'DTSTAMP:-');

/** The real maker, counted. */
const counted = () => jest.fn(deadlineCalendar);

describe('CalendarTexts', () => {
  it('should give every assignee the text made for the first, as deadlineCalendar makes it', () => {
    const make = counted();
    const texts = new CalendarTexts('tracker.example.org', 1000, 10 * 60_000, make);
    const stored = JSON.stringify(payload(2));
    const first = texts.get(stored, APP, false, at(0));
    expect(withoutStamp(first)).toBe(withoutStamp(deadlineCalendar(payload(2), 'tracker.example.org', APP, false)));
    expect(first).toContain('SEQUENCE:2');
    expect(texts.get(stored, APP, false, at(5))).toBe(first);
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('should make a new text for another version, for a cancellation, and after its time is up', () => {
    const make = counted();
    const texts = new CalendarTexts('tracker.example.org', 1000, 10 * 60_000, make);
    const first = texts.get(JSON.stringify(payload(2)), APP, false, at(0));
    expect(texts.get(JSON.stringify(payload(3)), APP, false, at(1))).toContain('SEQUENCE:3');
    const cancelled = texts.get(JSON.stringify(payload(2)), APP, true, at(1));
    expect(cancelled).toContain('METHOD:CANCEL');
    expect(first).toContain('METHOD:REQUEST');
    expect(make).toHaveBeenCalledTimes(3);
    expect(texts.get(JSON.stringify(payload(2)), APP, false, at(9))).toBe(first);
    expect(make).toHaveBeenCalledTimes(3);
    expect(texts.get(JSON.stringify(payload(2)), APP, false, at(11))).toContain('SEQUENCE:2');
    expect(make).toHaveBeenCalledTimes(4);
  });

  it('should keep at most its limit, the oldest made going first', () => {
    const make = counted();
    const texts = new CalendarTexts('tracker.example.org', 2, 10 * 60_000, make);
    for (const version of [1, 2, 3]) texts.get(JSON.stringify(payload(version)), APP, false, at(0));
    expect(make).toHaveBeenCalledTimes(3);
    // Version 3 is kept; version 1 was dropped for it: asked again, it is made again.
    texts.get(JSON.stringify(payload(3)), APP, false, at(0));
    expect(make).toHaveBeenCalledTimes(3);
    texts.get(JSON.stringify(payload(1)), APP, false, at(0));
    expect(make).toHaveBeenCalledTimes(4);
  });
});
