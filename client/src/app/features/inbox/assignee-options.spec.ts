import { Member } from '../team/team.model';
import { assigneeOptions } from './assignee-options';

function member(
  user_id: number,
  name: string,
  email = `${name.toLowerCase()}@example.com`,
): Member {
  return { user_id, email, name, role: 'agent', joined_at: '2026-11-01T00:00:00Z' };
}

const ME = { id: 1, name: 'Ada' };

describe('assigneeOptions', () => {
  it('puts the signed-in user first as "Me", then the others by name', () => {
    const members = [member(4, 'zoe'), member(1, 'Ada'), member(2, 'Bob'), member(3, 'Émile')];
    expect(assigneeOptions(members, ME, null)).toEqual([
      { id: 1, label: 'Me (Ada)' },
      { id: 2, label: 'Bob' },
      { id: 3, label: 'Émile' },
      { id: 4, label: 'zoe' },
    ]);
  });

  it('offers the current assignee even when the members do not list them', () => {
    const current = { id: 9, name: 'Carla', email: 'carla@example.com' };
    expect(assigneeOptions([], ME, current)).toEqual([
      { id: 1, label: 'Me (Ada)' },
      { id: 9, label: 'Carla' },
    ]);
    expect(assigneeOptions([member(2, 'Bob')], ME, current).map((o) => o.label)).toEqual([
      'Me (Ada)',
      'Bob',
      'Carla',
    ]);
  });

  it('tells namesakes apart by email', () => {
    const members = [member(2, 'Sam', 'sam.b@example.com'), member(3, 'sam', 'sam.a@example.com')];
    expect(assigneeOptions(members, ME, null).map((o) => o.label)).toEqual([
      'Me (Ada)',
      'Sam (sam.b@example.com)',
      'sam (sam.a@example.com)',
    ]);
  });

  it('has no "Me" before the user is known', () => {
    expect(assigneeOptions([member(1, 'Ada')], null, null)).toEqual([{ id: 1, label: 'Ada' }]);
  });
});
