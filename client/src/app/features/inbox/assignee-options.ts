import { User } from '../../core/auth/user.model';
import { ConversationAssignee } from '../../core/http/messaging.model';
import { Member } from '../team/team.model';

/** One choice of the "Assign conversation" picker (besides "Unassigned"). */
export interface AssigneeOption {
  /** User id. */
  readonly id: number;
  readonly label: string;
}

/**
 * Who a conversation can be assigned to: the signed-in user first ("Me (Ada)"), then the
 * other members by name. The current assignee is always a choice, so the picker shows it
 * even before the members have loaded, or after they left the team. Namesakes are told
 * apart by their email.
 */
export function assigneeOptions(
  members: readonly Member[],
  me: Pick<User, 'id' | 'name'> | null,
  current: ConversationAssignee | null | undefined,
): AssigneeOption[] {
  const others = new Map<number, { name: string; email: string }>();
  for (const member of members) {
    others.set(member.user_id, { name: member.name, email: member.email });
  }
  if (current && !others.has(current.id)) {
    others.set(current.id, { name: current.name, email: current.email });
  }
  if (me) {
    others.delete(me.id);
  }
  const people = [...others].map(([id, person]) => ({ id, ...person, name: person.name.trim() }));
  const namesakes = new Set(
    people.map((p) => p.name.toLowerCase()).filter((name, i, all) => all.indexOf(name) !== i),
  );
  const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  const label = (p: { name: string; email: string }): string => {
    if (!p.name) {
      return p.email;
    }
    return namesakes.has(p.name.toLowerCase()) ? `${p.name} (${p.email})` : p.name;
  };
  const options = people
    .sort((a, b) => byName.compare(a.name, b.name) || a.id - b.id)
    .map((p) => ({ id: p.id, label: label(p) }));
  return me ? [{ id: me.id, label: `Me (${me.name})` }, ...options] : options;
}
