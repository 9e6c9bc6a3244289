import { describe, expect, it } from '@jest/globals';
import type { MessageStatus } from './message.entity.js';
import { advanceStatus, messageStatusOf, statusRank, statusRankSql } from './message-status.js';

describe(advanceStatus.name, () => {
  it('moves only forward along pending < sent < delivered < read', () => {
    expect(advanceStatus('pending', 'sent')).toBe('sent');
    expect(advanceStatus('sent', 'delivered')).toBe('delivered');
    expect(advanceStatus('delivered', 'read')).toBe('read');
    expect(advanceStatus('read', 'delivered')).toBeNull();
    expect(advanceStatus('delivered', 'sent')).toBeNull();
    expect(advanceStatus('read', 'read')).toBeNull();
  });

  it('skips steps Meta skipped', () => {
    expect(advanceStatus('sent', 'read')).toBe('read');
    expect(advanceStatus('pending', 'delivered')).toBe('delivered');
  });

  it('lets failed end a sent message, but never undo a delivery', () => {
    expect(advanceStatus('pending', 'failed')).toBe('failed');
    expect(advanceStatus('sent', 'failed')).toBe('failed');
    expect(advanceStatus('failed', 'sent')).toBeNull();
    expect(advanceStatus('delivered', 'failed')).toBeNull();
    expect(advanceStatus('read', 'failed')).toBeNull();
    expect(advanceStatus('failed', 'delivered')).toBe('delivered');
  });

  it('counts played as read and keeps deleted and unknown statuses as history only', () => {
    expect(advanceStatus('delivered', 'played')).toBe('read');
    expect(advanceStatus('read', 'played')).toBeNull();
    expect(advanceStatus('delivered', 'deleted')).toBeNull();
    expect(advanceStatus('sent', 'warning')).toBeNull();
    expect(messageStatusOf('deleted')).toBeNull();
  });

  it('ends at the same status whatever order the statuses arrive in', () => {
    const arrivals = ['sent', 'delivered', 'read', 'failed'];
    const permutations = (items: string[]): string[][] =>
      items.length <= 1
        ? [items]
        : items.flatMap((x, i) =>
            permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]),
          );
    for (const order of permutations(arrivals)) {
      let status: MessageStatus = 'pending';
      for (const s of order) status = advanceStatus(status, s) ?? status;
      expect(status).toBe('read');
    }
  });

  it('never touches inbound messages', () => {
    expect(advanceStatus('received', 'read')).toBeNull();
    expect(statusRank('received')).toBeNull();
  });
});

describe(statusRankSql.name, () => {
  it('encodes the same ranks for the database', () => {
    const sql = statusRankSql('e.status');
    for (const status of ['pending', 'sent', 'failed', 'delivered', 'read', 'played']) {
      expect(sql).toContain(`WHEN '${status}' THEN ${statusRank(status)}`);
    }
  });
});
