import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversations are assigned to the teammate handling them. The assignee is a member of
 * the conversation's workspace: checked when assigning, and a member removed from the
 * workspace is unassigned in the same transaction (WorkspacesService.removeMember); a
 * deleted user is unassigned by the foreign key. The partial index serves "Mine" (the
 * list by last_message_at for one assignee) and the foreign key's checks; unassigned
 * conversations are most of a busy inbox and use the existing list indexes.
 */
export class ConversationAssignee1764000800000 implements MigrationInterface {
  name = 'ConversationAssignee1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE conversations ADD COLUMN assignee_id integer REFERENCES users(id) ON DELETE SET NULL`,
    );
    await q.query(
      `CREATE INDEX conversations_assignee_last_message_idx
         ON conversations (assignee_id, last_message_at DESC, id DESC) WHERE assignee_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS conversations_assignee_last_message_idx`);
    await q.query(`ALTER TABLE conversations DROP COLUMN IF EXISTS assignee_id`);
  }
}
