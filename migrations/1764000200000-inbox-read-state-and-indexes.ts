import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the inbox read API needs beyond the initial schema (see docs/indexes.md):
 * - conversations.last_read_message_id, the read watermark behind unread_count;
 * - partial indexes for unread counts and the open and closed conversation lists;
 * - is_outbound in the workspace/timestamp index, for the stats counts;
 * - a trigram index for contact search (`q`), when pg_trgm is available;
 * - events.created_at for the retention cleanup of the live-event log.
 */
export class InboxReadStateAndIndexes1764000200000 implements MigrationInterface {
  name = 'InboxReadStateAndIndexes1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversations ADD COLUMN last_read_message_id integer`);
    // unread_count = inbound messages of a conversation above its watermark: an index-only
    // range scan over this partial index, however long the thread.
    await q.query(
      `CREATE INDEX messages_conversation_inbound_idx ON messages (conversation_id, id) WHERE NOT is_outbound`,
    );
    // ?status=open and ?status=closed each get their own ordered index, so neither list
    // skips the other's rows. A new message only updates an open conversation, so the
    // closed-side index costs nothing on the hot path.
    await q.query(`
      CREATE INDEX conversations_workspace_open_last_message_idx
        ON conversations (workspace_id, last_message_at DESC, id DESC) WHERE is_active`);
    await q.query(`
      CREATE INDEX conversations_workspace_closed_last_message_idx
        ON conversations (workspace_id, last_message_at DESC, id DESC) WHERE NOT is_active`);
    // /stats and /stats/daily count messages by direction: with is_outbound in the
    // workspace/timestamp index both are index-only scans instead of heap visits (1 s → see
    // docs/indexes.md on a million messages). Same key as before, so no extra index to write.
    await q.query(`DROP INDEX messages_workspace_timestamp_idx`);
    await q.query(`
      CREATE INDEX messages_workspace_timestamp_idx
        ON messages (workspace_id, timestamp DESC) INCLUDE (is_outbound)`);
    // Contact search is a substring match over name, profile name and number, lower-cased
    // through the builtin Unicode collation where the server has it (PostgreSQL 17+; the
    // C locale lower-cases ASCII only). The expression must stay identical to
    // server/inbox/inbox-search.ts for the planner to use the index. pg_trgm ships with
    // PostgreSQL's contrib (the embedded server has it); without it the same queries still
    // answer, by scanning the workspace's contacts.
    const [{ trgm, unicode }] = (await q.query(`
      SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') AS trgm,
             EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'pg_c_utf8')
               AND current_setting('server_encoding') = 'UTF8' AS unicode`)) as {
      trgm: boolean;
      unicode: boolean;
    }[];
    if (trgm) {
      const collate = unicode ? ' COLLATE "pg_c_utf8"' : '';
      await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
      await q.query(`
        CREATE INDEX contacts_search_trgm_idx ON contacts USING gin (
          lower((coalesce(name, '') || ' ' || coalesce(profile_name, '') || ' ' || wa_id)${collate}) gin_trgm_ops)`);
    }
    await q.query(`CREATE INDEX events_created_at_idx ON events (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS events_created_at_idx`);
    await q.query(`DROP INDEX IF EXISTS contacts_search_trgm_idx`);
    await q.query(`DROP INDEX messages_workspace_timestamp_idx`);
    await q.query(
      `CREATE INDEX messages_workspace_timestamp_idx ON messages (workspace_id, timestamp DESC)`,
    );
    await q.query(`DROP INDEX IF EXISTS conversations_workspace_closed_last_message_idx`);
    await q.query(`DROP INDEX IF EXISTS conversations_workspace_open_last_message_idx`);
    await q.query(`DROP INDEX IF EXISTS messages_conversation_inbound_idx`);
    await q.query(`ALTER TABLE conversations DROP COLUMN last_read_message_id`);
  }
}
