import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 7: dashboard statistics from pre-aggregated counts. Counting a workspace's
 * messages on every GET /api/stats read the whole messages table (a second and more at a
 * million messages); the daily chart walked every index entry of 14 days.
 *
 * `message_counts` holds inbound and outbound messages per workspace and UTC day, kept
 * exact by statement-level triggers on messages (one upsert per statement, however many
 * rows it wrote). Each day has up to SHARDS rows, picked by the writing connection's
 * backend pid, so concurrent transactions (webhook groups, replies, several instances)
 * add to different rows instead of queueing on one row lock until each other's commit.
 * Readers sum the shards. Existing messages are counted once here.
 */
const SHARDS = 16;

export class MessageCountRollups1764000600000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_counts (
        workspace_id integer NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        day date NOT NULL,
        shard smallint NOT NULL,
        inbound bigint NOT NULL DEFAULT 0,
        outbound bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (workspace_id, day, shard)
      )`);
    // Rows in one statement are summed per (workspace, day) first; `ORDER BY` makes
    // concurrent statements lock their rows in the same order (no deadlocks between them).
    await q.query(`
      CREATE FUNCTION message_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_counts AS mc (workspace_id, day, shard, inbound, outbound)
        SELECT workspace_id, (timestamp AT TIME ZONE 'UTC')::date, pg_backend_pid() % ${SHARDS},
               count(*) FILTER (WHERE NOT is_outbound), count(*) FILTER (WHERE is_outbound)
          FROM new_rows
         GROUP BY 1, 2
         ORDER BY 1, 2
        ON CONFLICT (workspace_id, day, shard) DO UPDATE
          SET inbound = mc.inbound + excluded.inbound, outbound = mc.outbound + excluded.outbound;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION message_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_counts AS mc (workspace_id, day, shard, inbound, outbound)
        SELECT workspace_id, (timestamp AT TIME ZONE 'UTC')::date, pg_backend_pid() % ${SHARDS},
               -count(*) FILTER (WHERE NOT is_outbound), -count(*) FILTER (WHERE is_outbound)
          FROM old_rows
         -- A workspace being deleted takes its counts along (ON DELETE CASCADE).
         WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = old_rows.workspace_id)
         GROUP BY 1, 2
         ORDER BY 1, 2
        ON CONFLICT (workspace_id, day, shard) DO UPDATE
          SET inbound = mc.inbound + excluded.inbound, outbound = mc.outbound + excluded.outbound;
        RETURN NULL;
      END $$`);
    // An update that moves a message to another day or direction (nothing in the app does;
    // a manual fix might): out of the old, into the new. A row trigger with a WHEN clause,
    // because statement triggers with transition tables cannot name columns and would
    // collect every status update.
    await q.query(`
      CREATE FUNCTION message_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_counts AS mc (workspace_id, day, shard, inbound, outbound)
        VALUES (OLD.workspace_id, (OLD.timestamp AT TIME ZONE 'UTC')::date, pg_backend_pid() % ${SHARDS},
                -(NOT OLD.is_outbound)::int, -(OLD.is_outbound)::int),
               (NEW.workspace_id, (NEW.timestamp AT TIME ZONE 'UTC')::date, pg_backend_pid() % ${SHARDS},
                (NOT NEW.is_outbound)::int, (NEW.is_outbound)::int)
        ON CONFLICT (workspace_id, day, shard) DO UPDATE
          SET inbound = mc.inbound + excluded.inbound, outbound = mc.outbound + excluded.outbound;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER messages_count_insert AFTER INSERT ON messages
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION message_counts_on_insert()`);
    await q.query(`
      CREATE TRIGGER messages_count_delete AFTER DELETE ON messages
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION message_counts_on_delete()`);
    await q.query(`
      CREATE TRIGGER messages_count_update AFTER UPDATE OF workspace_id, timestamp, is_outbound ON messages
        FOR EACH ROW
        WHEN (OLD.workspace_id IS DISTINCT FROM NEW.workspace_id
              OR (OLD.timestamp AT TIME ZONE 'UTC')::date IS DISTINCT FROM (NEW.timestamp AT TIME ZONE 'UTC')::date
              OR OLD.is_outbound IS DISTINCT FROM NEW.is_outbound)
        EXECUTE FUNCTION message_counts_on_update()`);
    await q.query(`
      INSERT INTO message_counts (workspace_id, day, shard, inbound, outbound)
      SELECT workspace_id, (timestamp AT TIME ZONE 'UTC')::date, 0,
             count(*) FILTER (WHERE NOT is_outbound), count(*) FILTER (WHERE is_outbound)
        FROM messages
       GROUP BY 1, 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER messages_count_update ON messages`);
    await q.query(`DROP TRIGGER messages_count_delete ON messages`);
    await q.query(`DROP TRIGGER messages_count_insert ON messages`);
    await q.query(`DROP FUNCTION message_counts_on_update()`);
    await q.query(`DROP FUNCTION message_counts_on_delete()`);
    await q.query(`DROP FUNCTION message_counts_on_insert()`);
    await q.query(`DROP TABLE message_counts`);
  }
}
