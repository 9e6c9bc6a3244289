import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound messages remember the teammate who sent them (from the inbox or the API), so a
 * team sees who answered. A plain integer, not a foreign key: users are never deleted, and
 * a key would make deleting one scan the largest table for want of an index nobody reads.
 * A nullable column without a default is added without rewriting the table.
 */
export class MessageSender1764000900000 implements MigrationInterface {
  name = 'MessageSender1764000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages ADD COLUMN sent_by_user_id integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP COLUMN IF EXISTS sent_by_user_id`);
  }
}
