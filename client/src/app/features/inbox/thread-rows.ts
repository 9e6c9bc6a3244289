import { formatDayLabel, localDayKey } from '../../core/time/relative-time';
import { ThreadMessage } from './inbox.model';

export type ThreadRow =
  | { readonly kind: 'day'; readonly key: string; readonly label: string }
  | { readonly kind: 'message'; readonly key: string; readonly message: ThreadMessage };

/** Messages (oldest first) with a separator row before each new local calendar day. */
export function buildThreadRows(messages: readonly ThreadMessage[], now: number): ThreadRow[] {
  const rows: ThreadRow[] = [];
  const usedKeys = new Set<string>();
  let currentDay: string | null = null;
  for (const message of messages) {
    const day = localDayKey(message.timestamp);
    if (day !== currentDay) {
      currentDay = day;
      // A late message can revisit a day; its separator still needs a unique key.
      const key = usedKeys.has(`day-${day}`) ? `day-${day}-${message.client_key}` : `day-${day}`;
      usedKeys.add(key);
      rows.push({ kind: 'day', key, label: formatDayLabel(message.timestamp, now) });
    }
    rows.push({ kind: 'message', key: message.client_key, message });
  }
  return rows;
}
