import { formatDayLabel, formatRelativeTime, localDayKey } from './relative-time';

describe('formatRelativeTime', () => {
  const now = new Date(2026, 10, 24, 15, 0, 0).getTime();
  const at = (...args: [number, number, number, number, number]): string =>
    new Date(...args).toISOString();

  it('counts minutes and hours today', () => {
    expect(formatRelativeTime(new Date(now - 20_000).toISOString(), now)).toBe('now');
    expect(formatRelativeTime(new Date(now - 5 * 60_000).toISOString(), now)).toBe('5m');
    expect(formatRelativeTime(at(2026, 10, 24, 12, 0), now)).toBe('3h');
  });

  it('names yesterday and weekdays, then dates', () => {
    expect(formatRelativeTime(at(2026, 10, 23, 22, 0), now)).toBe('Yesterday');
    expect(formatRelativeTime(at(2026, 10, 20, 10, 0), now)).toBe('Fri');
    expect(formatRelativeTime(at(2026, 9, 2, 10, 0), now)).toBe('Oct 2');
    expect(formatRelativeTime(at(2025, 9, 2, 10, 0), now)).toBe('Oct 2, 2025');
  });

  it('answers an empty string for missing or invalid times', () => {
    expect(formatRelativeTime(null, now)).toBe('');
    expect(formatRelativeTime('nope', now)).toBe('');
  });
});

describe('formatDayLabel', () => {
  const now = new Date(2026, 10, 24, 15, 0, 0).getTime();

  it('says Today and Yesterday, then the date', () => {
    expect(formatDayLabel(new Date(2026, 10, 24, 1, 0).toISOString(), now)).toBe('Today');
    expect(formatDayLabel(new Date(2026, 10, 23, 23, 0).toISOString(), now)).toBe('Yesterday');
    expect(formatDayLabel(new Date(2026, 10, 2, 9, 0).toISOString(), now)).toBe(
      'Monday, November 2',
    );
  });

  it('groups by local calendar day', () => {
    expect(localDayKey(new Date(2026, 0, 5, 23, 59).toISOString())).toBe('2026-01-05');
  });
});
