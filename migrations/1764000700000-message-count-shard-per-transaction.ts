import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 7: the message_counts shard follows the transaction, not the connection.
 *
 * The shard was the backend pid modulo 16. The pool hands the same few connections to the
 * webhook's group transactions, so two of them whose pids share a shard queued on one
 * row lock until each other's commit, in every group (pg_stat_statements showed the
 * trigger's upsert at 1.8 ms on average, all of it waiting). The transaction id spreads
 * concurrent transactions over 64 shards afresh each time. Readers already sum the shards.
 */
function countFunctions(shard: string): string[] {
  const upsert = `ON CONFLICT (workspace_id, day, shard) DO UPDATE
          SET inbound = mc.inbound + excluded.inbound, outbound = mc.outbound + excluded.outbound`;
  return [
    `CREATE OR REPLACE FUNCTION message_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_counts AS mc (workspace_id, day, shard, inbound, outbound)
        SELECT workspace_id, (timestamp AT TIME ZONE 'UTC')::date, ${shard},
               count(*) FILTER (WHERE NOT is_outbound), count(*) FILTER (WHERE is_outbound)
          FROM new_rows
         GROUP BY 1, 2
         ORDER BY 1, 2
        ${upsert};
        RETURN NULL;
      END $$`,
    `CREATE OR REPLACE FUNCTION message_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_counts AS mc (workspace_id, day, shard, inbound, outbound)
        SELECT workspace_id, (timestamp AT TIME ZONE 'UTC')::date, ${shard},
               -count(*) FILTER (WHERE NOT is_outbound), -count(*) FILTER (WHERE is_outbound)
          FROM old_rows
         -- A workspace being deleted takes its counts along (ON DELETE CASCADE).
         WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = old_rows.workspace_id)
         GROUP BY 1, 2
         ORDER BY 1, 2
        ${upsert};
        RETURN NULL;
      END $$`,
    `CREATE OR REPLACE FUNCTION message_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO message_counts AS mc (workspace_id, day, shard, inbound, outbound)
        VALUES (OLD.workspace_id, (OLD.timestamp AT TIME ZONE 'UTC')::date, ${shard},
                -(NOT OLD.is_outbound)::int, -(OLD.is_outbound)::int),
               (NEW.workspace_id, (NEW.timestamp AT TIME ZONE 'UTC')::date, ${shard},
                (NOT NEW.is_outbound)::int, (NEW.is_outbound)::int)
        ${upsert};
        RETURN NULL;
      END $$`,
  ];
}

export class MessageCountShardPerTransaction1764000700000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    for (const sql of countFunctions('(txid_current() % 64)::smallint')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of countFunctions('pg_backend_pid() % 16')) await q.query(sql);
  }
}
