// Data the bench puts straight into PostgreSQL (never through HTTP): the outbound messages
// whose statuses the status phase reports, the read dataset (1,000,000 messages) and the
// workspace of the database ceiling. Column lists name only what these rows need; every
// other column has a default or is nullable (migrations/).
import { outboundContactWaId, outboundWamidPrefix } from './meta-payloads.mjs';

/**
 * The loader's own session may skip waiting for fsync (it is setup, not the system under
 * test) and, where the role may, skip foreign-key triggers: the rows are consistent by
 * construction, and three key lookups per message would double the load time.
 */
async function loaderSession(pool, work) {
  const client = await pool.connect();
  try {
    await client.query(`SET synchronous_commit = off`);
    const replica = await client
      .query(`SET session_replication_role = replica`)
      .then(() => true)
      .catch(() => false);
    const result = await work(client);
    // Replica mode skipped the triggers that keep message_counts too (the stats read
    // them): recount what was loaded, as a bulk loader must.
    if (replica) {
      await client.query(`RESET session_replication_role`);
      await client.query('BEGIN');
      await client.query(`DELETE FROM message_counts`);
      await client.query(`
        INSERT INTO message_counts (workspace_id, day, shard, inbound, outbound)
        SELECT workspace_id, (timestamp AT TIME ZONE 'UTC')::date, 0,
               count(*) FILTER (WHERE NOT is_outbound), count(*) FILTER (WHERE is_outbound)
          FROM messages GROUP BY 1, 2`);
      await client.query('COMMIT');
    }
    return result;
  } finally {
    await client.query(`RESET session_replication_role`).catch(() => undefined);
    client.release();
  }
}

/**
 * `count` outbound messages (status `pending`, with known wamids) to `contacts` customers,
 * each customer with an open conversation: what the send queue leaves once Meta accepted
 * a send and before its statuses arrive.
 */
export function insertOutboundMessages(pool, { workspaceId, tag, count, contacts }) {
  return loaderSession(pool, async (db) => {
    await db.query(
      `INSERT INTO contacts (workspace_id, wa_id, name, profile_name)
       SELECT $1, '4472' || lpad(g::text, 8, '0'), 'Outbound ' || g, 'Outbound ' || g
         FROM generate_series(0, $2::int - 1) g`,
      [workspaceId, contacts],
    );
    await db.query(
      `INSERT INTO conversations (workspace_id, contact_id)
       SELECT $1, id FROM contacts WHERE workspace_id = $1 AND wa_id LIKE '4472%'`,
      [workspaceId],
    );
    await db.query(
      `WITH target AS (
         SELECT substr(c.wa_id, 5)::int AS k, c.id AS contact_id, v.id AS conversation_id
           FROM contacts c JOIN conversations v ON v.contact_id = c.id AND v.is_active
          WHERE c.workspace_id = $1 AND c.wa_id LIKE '4472%'
       )
       INSERT INTO messages (workspace_id, wa_message_id, contact_id, conversation_id, message_type, content,
                             is_outbound, status, timestamp)
       SELECT $1, $2 || g, t.contact_id, t.conversation_id, 'text', 'Bench reply ' || g, true, 'pending', now()
         FROM generate_series(0, $3::int - 1) g JOIN target t ON t.k = g % $4::int
        ORDER BY g`,
      [workspaceId, outboundWamidPrefix(tag), count, contacts],
    );
    // Sanity: the status payloads name recipients by outboundContactWaId().
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM contacts WHERE workspace_id = $1 AND wa_id = $2`,
      [workspaceId, outboundContactWaId(0)],
    );
    if (rows[0].n !== 1) throw new Error('Outbound contacts were not created as expected');
  });
}

/** Final statuses of the status phase's outbound messages, by status. */
export async function outboundStatusCounts(pool, { workspaceId, tag }) {
  const { rows } = await pool.query(
    `SELECT status, count(*)::int AS n FROM messages
      WHERE workspace_id = $1 AND is_outbound AND wa_message_id LIKE $2 || '%'
      GROUP BY status`,
    [workspaceId, outboundWamidPrefix(tag)],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Status events the server kept (its dedupe key makes redeliveries one row). */
export async function statusEventCount(pool, { workspaceId, tag }) {
  const { rows } = await pool
    .query(
      `SELECT count(*)::int AS n, count(DISTINCT (wa_message_id, status, timestamp))::int AS distinct_n
       FROM message_status_events WHERE workspace_id = $1 AND wa_message_id LIKE $2 || '%'`,
      [workspaceId, outboundWamidPrefix(tag)],
    )
    .catch(() => ({ rows: [{ n: null, distinct_n: null }] }));
  return rows[0];
}

const FIRST_NAMES = [
  'Ana',
  'Bruno',
  'Carla',
  'Diego',
  'Elena',
  'Fabio',
  'Gina',
  'Hugo',
  'Iris',
  'Joao',
  'Karin',
  'Luis',
  'Marta',
  'Nuno',
  'Olga',
  'Pedro',
  'Rita',
  'Sergio',
  'Tania',
  'Vasco',
];
const LAST_NAMES = [
  'Silva',
  'Santos',
  'Ferreira',
  'Pereira',
  'Oliveira',
  'Costa',
  'Rodrigues',
  'Martins',
  'Jesus',
  'Sousa',
  'Fernandes',
  'Goncalves',
  'Gomes',
  'Lopes',
  'Marques',
  'Alves',
  'Almeida',
  'Ribeiro',
  'Pinto',
  'Carvalho',
  'Teixeira',
  'Moreira',
  'Correia',
  'Mendes',
  'Nunes',
];

/**
 * The read dataset: `contacts` customers (wa_id 4471…, names like "Marta Gomes 1234"), each
 * with an open conversation and every third also with an older closed one, and `messages`
 * messages spread over them round-robin, one in three outbound, over the last 90 days
 * (ids follow time, as in a live inbox), each with a Meta-like raw_data. Conversations
 * then get their real first/last message times and a read watermark two days back, so
 * unread counts are realistic. Finally VACUUM ANALYZE and a CHECKPOINT: the visibility map,
 * statistics and clean buffers a long-lived table has (autovacuum and the checkpointer would
 * get there shortly after a bulk insert).
 */
export function loadReadDataset(pool, { workspaceId, tag, contacts, messages, log }) {
  return loaderSession(pool, async (db) => {
    const t0 = Date.now();
    await db.query(
      `INSERT INTO contacts (workspace_id, wa_id, name, profile_name, created_at, updated_at)
       SELECT $1, '4471' || lpad(g::text, 8, '0'), n, n, now() - interval '120 days', now()
         FROM generate_series(0, $2::int - 1) g,
              LATERAL (SELECT ($3::text[])[1 + g % 20] || ' ' || ($4::text[])[1 + (g / 20) % 25] || ' ' || g AS n) x`,
      [workspaceId, contacts, FIRST_NAMES, LAST_NAMES],
    );
    await db.query(
      `INSERT INTO conversations (workspace_id, contact_id, started_at, last_message_at, is_active)
       SELECT $1, c.id, now() - interval '90 days', now() - interval '90 days', false
         FROM contacts c WHERE c.workspace_id = $1 AND c.wa_id LIKE '4471%' AND substr(c.wa_id, 5)::int % 3 = 0
       UNION ALL
       SELECT $1, c.id, now() - interval '60 days', now() - interval '60 days', true
         FROM contacts c WHERE c.workspace_id = $1 AND c.wa_id LIKE '4471%'`,
      [workspaceId],
    );
    log?.(
      `  ${contacts.toLocaleString('en')} contacts and their conversations in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const t1 = Date.now();
    // Message g: customer k = g % contacts, its round r = g / contacts. For every third
    // customer the first 30 % of its rounds went to its (now closed) older conversation.
    await db.query(
      `WITH target AS (
         SELECT substr(c.wa_id, 5)::int AS k, c.wa_id, v.is_active, v.id AS conversation_id, c.id AS contact_id
           FROM contacts c JOIN conversations v ON v.contact_id = c.id
          WHERE c.workspace_id = $1 AND c.wa_id LIKE '4471%'
       ), rows AS (
         SELECT g, g % $3::int AS k, g / $3::int AS r,
                now() - interval '90 days' + (g::float8 / $2::int) * interval '90 days' AS ts,
                g % 3 = 0 AS outbound
           FROM generate_series(0, $2::int - 1) g
       )
       INSERT INTO messages (workspace_id, wa_message_id, contact_id, conversation_id, message_type, content,
                             is_outbound, status, timestamp, created_at, raw_data)
       SELECT $1, $4 || x.g, t.contact_id, t.conversation_id, 'text', body.text,
              x.outbound, CASE WHEN x.outbound THEN (ARRAY['sent', 'delivered', 'read'])[1 + x.g % 3] ELSE 'received' END,
              x.ts, x.ts,
              CASE WHEN x.outbound THEN NULL ELSE jsonb_build_object(
                'from', t.wa_id, 'id', $4 || x.g, 'timestamp', extract(epoch FROM x.ts)::bigint::text,
                'type', 'text', 'text', jsonb_build_object('body', body.text)) END
         FROM rows x
         JOIN target t ON t.k = x.k
                      AND t.is_active = NOT (x.k % 3 = 0 AND x.r < ($2::int / $3::int) * 3 / 10)
         CROSS JOIN LATERAL (SELECT 'Hello, this is message ' || x.g || ' about order #' || (x.g % 9973) AS text) body
        ORDER BY x.g`,
      [workspaceId, messages, contacts, `wamid.BENCHREAD${tag}.`],
    );
    log?.(
      `  ${messages.toLocaleString('en')} messages in ${((Date.now() - t1) / 1000).toFixed(1)} s`,
    );
    const t2 = Date.now();
    await db.query(
      `UPDATE conversations v
          SET started_at = s.first_at, last_message_at = s.last_at, last_read_message_id = s.read_upto
         FROM (SELECT conversation_id, min(timestamp) AS first_at, max(timestamp) AS last_at,
                      max(id) FILTER (WHERE timestamp < now() - interval '2 days') AS read_upto
                 FROM messages WHERE workspace_id = $1 AND wa_message_id LIKE $2 || '%'
                GROUP BY conversation_id) s
        WHERE v.id = s.conversation_id`,
      [workspaceId, `wamid.BENCHREAD${tag}.`],
    );
    for (const table of ['messages', 'contacts', 'conversations'])
      await db.query(`VACUUM (ANALYZE) ${table}`);
    // The load leaves gigabytes of dirty pages; a long-lived database has written them long
    // ago. Without this the checkpointer flushes them during the timed reads.
    // Needs superuser or pg_checkpoint; a BENCH_DATABASE_URL role may have neither.
    await db.query('CHECKPOINT').catch((err) => log?.(`  CHECKPOINT skipped: ${err.message}`));
    log?.(
      `  conversation times, read watermarks, VACUUM ANALYZE and CHECKPOINT in ${((Date.now() - t2) / 1000).toFixed(1)} s`,
    );
    return { seconds: (Date.now() - t0) / 1000 };
  });
}

/**
 * A second workspace for the database ceiling, so its rows stay out of the API's counts,
 * holding what the server's workspace holds once the ingest phases have run: every
 * customer of the ingest phases with an open conversation (statements whose cost grows with
 * the workspace then cost the same in both).
 */
export function createCeilingWorkspace(pool, { contacts }) {
  return loaderSession(pool, async (db) => {
    const { rows } = await db.query(
      `INSERT INTO workspaces (name) VALUES ('Bench: database ceiling') RETURNING id`,
    );
    const workspaceId = rows[0].id;
    await db.query(
      `INSERT INTO contacts (workspace_id, wa_id, name, profile_name)
       SELECT $1, '4470' || lpad(g::text, 8, '0'), n, n
         FROM generate_series(0, $2::int - 1) g,
              LATERAL (SELECT 'Bench Customer ' || lpad((g % 100000)::text, 5, '0') AS n) x`,
      [workspaceId, contacts],
    );
    await db.query(
      `INSERT INTO conversations (workspace_id, contact_id) SELECT $1, id FROM contacts WHERE workspace_id = $1`,
      [workspaceId],
    );
    await db.query(`ANALYZE contacts`);
    await db.query(`ANALYZE conversations`);
    return workspaceId;
  });
}
