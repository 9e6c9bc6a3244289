-- Bulk test data for docs/indexes.md: one workspace with 1,000,000 messages across 10,000
-- contacts (12,000 conversations) and 100,000 live events, plus an older neighbour
-- workspace with 200,000 messages so every query has to pick its own workspace's rows out
-- of a shared table.
--
--   psql -v ON_ERROR_STOP=1 -f scripts/seed-million.sql "$DATABASE_URL"
--   (or: node scripts/explain-inbox.mjs --seed, which also VACUUMs and prints the plans)
--
-- Run it against a migrated, throwaway database: it adds data and never deletes any.
-- Each run adds two new workspaces named 'Bench: …'. About a minute on a laptop.

BEGIN;

-- One workspace: n_contacts contacts, the first fifth of them with an older closed
-- conversation besides their open one, and n_messages messages spread evenly over the
-- last year (ids grow with time, as in production). 40 % outbound; every 17th an image.
CREATE FUNCTION pg_temp.seed_workspace(ws_name text, n_contacts int, n_messages int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
  ws int;
  first_names text[] := ARRAY['Ann','Bob','Carla','Dmitri','Emma','Farid','Grace','Hiro','Ines','Jamal',
                              'Kate','Liam','Maria','Nikolai','Olga','Pedro','Qi','Rosa','Sven','Tanya'];
  last_names text[] := ARRAY['Smith','Ivanova','Garcia','Chen','Müller','Rossi','Silva','Kowalski','Nguyen','Haddad'];
BEGIN
  INSERT INTO workspaces (name) VALUES (ws_name) RETURNING id INTO ws;

  INSERT INTO contacts (workspace_id, wa_id, name, profile_name, created_at)
  SELECT ws,
         (15550000000 + ws::bigint * 1000000 + g)::text,
         CASE WHEN g % 10 = 0 THEN NULL
              ELSE first_names[1 + g % 20] || ' ' || last_names[1 + (g / 20) % 10] END,
         first_names[1 + (g * 7) % 20] || ' ' || g,
         now() - interval '366 days' + g * interval '1 second'
    FROM generate_series(1, n_contacts) g;

  CREATE TEMP TABLE seed_contacts ON COMMIT DROP AS
  SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM contacts WHERE workspace_id = ws;

  -- Closed conversations first (smaller ids), then one open conversation per contact.
  INSERT INTO conversations (workspace_id, contact_id, started_at, last_message_at, is_active)
  SELECT ws, id, now() - interval '365 days', now() - interval '365 days', false
    FROM seed_contacts WHERE idx < n_contacts / 5 ORDER BY idx;
  INSERT INTO conversations (workspace_id, contact_id, started_at, last_message_at, is_active)
  SELECT ws, id, now() - interval '365 days', now() - interval '365 days', true
    FROM seed_contacts ORDER BY idx;

  CREATE TEMP TABLE seed_targets ON COMMIT DROP AS
  SELECT s.idx, s.id AS contact_id,
         (SELECT c.id FROM conversations c WHERE c.contact_id = s.id AND c.is_active) AS open_id,
         (SELECT c.id FROM conversations c WHERE c.contact_id = s.id AND NOT c.is_active) AS closed_id
    FROM seed_contacts s;
  CREATE UNIQUE INDEX ON seed_targets (idx);

  INSERT INTO messages (workspace_id, wa_message_id, contact_id, conversation_id, message_type, content,
                        media_id, mime_type, is_outbound, status, timestamp, created_at, raw_data)
  SELECT ws,
         'wamid.bench.' || ws || '.' || n,
         t.contact_id,
         -- A contact with a closed conversation wrote there during the first half of the year.
         CASE WHEN t.closed_id IS NOT NULL AND n <= n_messages / 2 THEN t.closed_id ELSE t.open_id END,
         CASE WHEN n % 17 = 0 THEN 'image' ELSE 'text' END,
         CASE WHEN n % 17 = 0 THEN 'photo ' || n ELSE 'Message number ' || n || ' about order #' || (n % 9973) END,
         CASE WHEN n % 17 = 0 THEN 'media' || n END,
         CASE WHEN n % 17 = 0 THEN 'image/jpeg' END,
         n % 5 IN (1, 3),
         CASE WHEN n % 5 IN (1, 3) THEN (ARRAY['sent','delivered','read','read','failed'])[1 + (n / 5) % 5]
              ELSE 'received' END,
         ts, ts,
         CASE WHEN n % 5 NOT IN (1, 3) THEN
           jsonb_build_object('from', 'x', 'id', 'wamid.bench.' || ws || '.' || n, 'type', 'text',
                              'text', jsonb_build_object('body', 'Message number ' || n)) END
    FROM generate_series(1, n_messages) n
    CROSS JOIN LATERAL (SELECT now() - interval '365 days' + (n::float8 / n_messages) * interval '365 days' AS ts) x
    JOIN seed_targets t ON t.idx = n % n_contacts;

  UPDATE conversations c
     SET started_at = m.first_at, last_message_at = m.last_at,
         -- Most conversations are read up to some point; every third has fresh unread messages.
         last_read_message_id = CASE WHEN c.id % 3 = 0 THEN m.max_id - 500 ELSE m.max_id END
    FROM (SELECT conversation_id, min(timestamp) AS first_at, max(timestamp) AS last_at, max(id) AS max_id
            FROM messages WHERE workspace_id = ws GROUP BY conversation_id) m
   WHERE m.conversation_id = c.id;

  -- The live-event log: one event per ten messages (what GET /api/events replays from).
  INSERT INTO events (workspace_id, type, data, created_at)
  SELECT ws, 'message.created', jsonb_build_object('message', jsonb_build_object('id', n)),
         now() - interval '7 days' + (n::float8 / (n_messages / 10)) * interval '7 days'
    FROM generate_series(1, n_messages / 10) n;

  DROP TABLE seed_targets;
  DROP TABLE seed_contacts;
  RETURN ws;
END $$;

SELECT pg_temp.seed_workspace('Bench: neighbour', 2000, 200000) AS neighbour_workspace_id;
SELECT pg_temp.seed_workspace('Bench: 1M messages', 10000, 1000000) AS bench_workspace_id;

COMMIT;

-- Fresh statistics for the planner. Run `VACUUM ANALYZE contacts, conversations, messages, events`
-- as well when you can (not inside a transaction): it sets the visibility map that lets
-- the count queries use index-only scans.
ANALYZE contacts;
ANALYZE conversations;
ANALYZE messages;
ANALYZE events;
