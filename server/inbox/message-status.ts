import type { MessageStatus } from './message.entity.js';

/**
 * How far an outbound message has got, by Meta's status. A status only ever moves a message
 * forward: Meta delivers statuses out of order and sometimes skips one ("delivered" before
 * "sent", "read" without "delivered"), so the furthest status seen wins.
 *
 * `failed` ranks above `sent` and below `delivered`: a failure after "sent" is final news,
 * but once the customer's phone confirmed delivery (or reading), a later or redelivered
 * failure cannot undo that — the message stays delivered/read and the failure is kept in
 * message_status_events only. `played` (a voice note was listened to) counts as `read`.
 * Anything else (`deleted`, statuses newer than this code) is history only.
 */
const RANKS: Readonly<Record<string, number>> = {
  pending: 0,
  sent: 1,
  failed: 2,
  delivered: 3,
  read: 4,
  played: 4,
};

/** The message status a Meta status stands for, or null when it does not change a message. */
export function messageStatusOf(metaStatus: string): MessageStatus | null {
  switch (metaStatus) {
    case 'sent':
    case 'delivered':
    case 'read':
    case 'failed':
      return metaStatus;
    case 'played':
      return 'read';
    default:
      return null;
  }
}

export function statusRank(status: string): number | null {
  return Object.prototype.hasOwnProperty.call(RANKS, status) ? RANKS[status] : null;
}

/** The status an outbound message moves to on `metaStatus`, or null when it stays. */
export function advanceStatus(current: MessageStatus, metaStatus: string): MessageStatus | null {
  const next = messageStatusOf(metaStatus);
  const from = statusRank(current);
  const to = statusRank(metaStatus);
  if (next === null || from === null || to === null) return null;
  return to > from ? next : null;
}

/** The same ranking as SQL, so the database applies exactly the rule above. */
export function statusRankSql(expression: string): string {
  const cases = Object.entries(RANKS)
    .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
    .join(' ');
  return `(CASE ${expression} ${cases} END)`;
}

/** SQL mapping a Meta status to the message status it stands for (see messageStatusOf). */
export function messageStatusSql(expression: string): string {
  return `(CASE ${expression} WHEN 'played' THEN 'read' ELSE ${expression} END)`;
}
