import { ThreadMessage } from './inbox.model';
import { buildThreadRows } from './thread-rows';
import { RowLayout } from './thread-scroll-strategy';

function msg(id: number, date: Date): ThreadMessage {
  return {
    id,
    wa_message_id: null,
    contact_id: 1,
    type: 'text',
    content: 'x',
    is_outbound: false,
    status: 'received',
    timestamp: date.toISOString(),
    sent_by_user_id: null,
    client_key: `m${id}`,
  };
}

describe('buildThreadRows', () => {
  const now = new Date(2026, 10, 24, 15, 0).getTime();

  it('puts a day separator before the first message of each day', () => {
    const rows = buildThreadRows(
      [
        msg(1, new Date(2026, 10, 23, 9, 0)),
        msg(2, new Date(2026, 10, 23, 18, 0)),
        msg(3, new Date(2026, 10, 24, 8, 0)),
      ],
      now,
    );
    expect(rows.map((r) => (r.kind === 'day' ? r.label : r.key))).toEqual([
      'Yesterday',
      'm1',
      'm2',
      'Today',
      'm3',
    ]);
  });

  it('keeps row keys unique when a late message revisits a day', () => {
    const rows = buildThreadRows(
      [
        msg(1, new Date(2026, 10, 23, 9, 0)),
        msg(2, new Date(2026, 10, 24, 9, 0)),
        msg(3, new Date(2026, 10, 23, 10, 0)),
      ],
      now,
    );
    const keys = rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('RowLayout', () => {
  it('finds the row at an offset with variable heights', () => {
    const layout = new RowLayout([40, 100, 60]);
    expect(layout.total).toBe(200);
    expect(layout.offsetOf(2)).toBe(140);
    expect(layout.indexAt(0)).toBe(0);
    expect(layout.indexAt(39)).toBe(0);
    expect(layout.indexAt(40)).toBe(1);
    expect(layout.indexAt(139)).toBe(1);
    expect(layout.indexAt(140)).toBe(2);
    expect(layout.indexAt(10_000)).toBe(2);
  });

  it('handles 10,000 rows', () => {
    const layout = new RowLayout(Array.from({ length: 10_000 }, (_, i) => (i % 2 ? 80 : 40)));
    expect(layout.total).toBe(600_000);
    expect(layout.indexAt(300_000)).toBe(5_000);
  });
});
