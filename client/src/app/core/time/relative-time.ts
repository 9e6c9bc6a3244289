const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Short relative time for lists: "now", "5m", "3h", "Yesterday", a weekday within a week,
 * then a date. `now` is passed in so callers (and tests) control it.
 */
export function formatRelativeTime(iso: string | null | undefined, now: number): string {
  if (!iso) {
    return '';
  }
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return '';
  }
  const elapsed = now - time;
  if (elapsed < MINUTE) {
    return 'now';
  }
  if (elapsed < HOUR) {
    return `${Math.floor(elapsed / MINUTE)}m`;
  }
  const date = new Date(time);
  const today = startOfDay(now);
  if (time >= today) {
    return `${Math.floor(elapsed / HOUR)}h`;
  }
  if (time >= shiftDays(today, -1)) {
    return 'Yesterday';
  }
  if (time >= shiftDays(today, -6)) {
    return date.toLocaleDateString('en-US', { weekday: 'short' });
  }
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

/** "Today", "Yesterday" or a full date; used for day separators in a thread. */
export function formatDayLabel(iso: string, now: number): string {
  const time = Date.parse(iso);
  const today = startOfDay(now);
  const day = startOfDay(time);
  if (day === today) {
    return 'Today';
  }
  if (day === shiftDays(today, -1)) {
    return 'Yesterday';
  }
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return new Date(time).toLocaleDateString('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

/** Local calendar day key (YYYY-MM-DD) used to group messages. */
export function localDayKey(iso: string): string {
  const d = new Date(iso);
  const month = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${month}-${day}`;
}

function startOfDay(time: number): number {
  const d = new Date(time);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Calendar arithmetic rather than 24 h steps, so days with a DST change stay right. */
function shiftDays(dayStart: number, days: number): number {
  const d = new Date(dayStart);
  d.setDate(d.getDate() + days);
  return d.getTime();
}
