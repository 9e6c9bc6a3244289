// The database ceiling: the SQL the server runs to ingest single-message webhooks, sent
// straight to PostgreSQL with node `pg` as the server sends them (each statement after the
// answer to the one before, except START TRANSACTION and COMMIT, pipelined with the first
// and the last statement),
// grouped into transactions the way the server's group commit groups them at the main
// phase's concurrency (WEBHOOK_COMMIT_SLOTS transactions at once, the concurrent webhooks
// shared among them). No HTTP, no Nest, no TypeORM: what is left is PostgreSQL's own cost
// (parse/plan/execute, triggers, WAL, the fsync of each commit) plus the round trips. Run
// as a child process of bench/run.mjs.
//
// KEEP IN SYNC with the server (a statement added there belongs here too):
//   server/webhook/webhook.service.ts     storeGroup(): transaction, process(), eventsStatement()
//   server/database/pipelined-transaction.ts  BEGIN with the first statement, COMMIT with the last
//   server/numbers/numbers.service.ts     resolve() → lookup() (a known number: sent with contacts)
//   server/inbox/inbox-ingest.service.ts  ingestMessages(), findOrCreateContacts(),
//                                         insertIntoConversations()
//   migrations/1764000600000-…            the message_counts triggers run by themselves
//   server/events/events.service.ts       publishAll() (with the raw events, + pg_notify;
//                                         the conversation of each event built in it)
// The smoke test runs this file, so a statement that no longer fits the schema fails CI.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
// The event data expression is the server's own (the build this bench runs).
import { EVENT_DATA_SQL } from '../../dist/server/events/events.service.js';
import { ingestContactWaId } from './meta-payloads.mjs';
import { Samples } from './percentiles.mjs';

const CEILING_NUMBER = '109000000000999';

const PARSED = [
  ['message_type', 'text'],
  ['content', 'text'],
  ['media_id', 'text'],
  ['mime_type', 'text'],
  ['sha256', 'text'],
  ['file_name', 'text'],
  ['reply_to_wa_message_id', 'text'],
  ['forwarded', 'boolean'],
  ['referral', 'jsonb'],
  ['error_code', 'integer'],
  ['error_title', 'text'],
  ['error_details', 'text'],
  ['raw_data', 'jsonb'],
];
const PARSED_RECORD = PARSED.map(([n, t]) => `${n} ${t}`).join(', ');

const WEBHOOK_EVENTS = `INSERT INTO webhook_events (received_at, raw_body, payload, signature_valid, outcome, error,
                                   messages_stored, statuses_stored)
       SELECT * FROM unnest($1::timestamptz[], $2::bytea[], $3::jsonb[], $4::boolean[], $5::text[],
                            $6::text[], $7::int[], $8::int[])`;

const SQL = {
  begin: 'START TRANSACTION',
  commit: 'COMMIT',
  number: `SELECT id, phone_number_id, workspace_id, display_phone_number FROM whatsapp_numbers
        WHERE phone_number_id = ANY($1::text[])`,
  // InboxIngestService.findOrCreateContacts(): the stored-message check rides along.
  contacts: `WITH known AS (
           SELECT id, wa_message_id FROM messages
            WHERE workspace_id = $1 AND wa_message_id = ANY($5::text[])
         ), input AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb)
                    AS x(wa_id text, user_id text, profile_name text, username text, wamids text[])
            WHERE EXISTS (SELECT 1 FROM unnest(x.wamids) AS w(wamid)
                           WHERE w.wamid NOT IN (SELECT wa_message_id FROM known))
         ), inserted AS (
           INSERT INTO contacts (workspace_id, wa_id, user_id, name, profile_name, username)
           SELECT $1, wa_id, user_id, profile_name, profile_name, username FROM input ORDER BY wa_id
           ON CONFLICT DO NOTHING
           RETURNING id, wa_id, user_id, profile_name, username
         )
         SELECT 'contact' AS kind, *, true AS inserted FROM inserted
         UNION ALL
         SELECT 'contact', c.id, c.wa_id, c.user_id, c.profile_name, c.username, false
           FROM contacts c
          WHERE c.workspace_id = $1 AND (c.wa_id = ANY($3::text[]) OR c.user_id = ANY($4::text[]))
         UNION ALL
         SELECT 'known', id, wa_message_id, NULL, NULL, NULL, false FROM known`,
  // InboxIngestService.insertIntoConversations(): open, insert, move forward.
  store: `WITH spans AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb)
                    AS x(contact_id integer, first_at timestamptz, last_at timestamptz, whatsapp_number_id integer)
         ), opened AS (
           INSERT INTO conversations (workspace_id, contact_id, started_at, last_message_at, whatsapp_number_id)
           SELECT $1, contact_id, first_at, last_at, whatsapp_number_id FROM spans ORDER BY contact_id
           ON CONFLICT (contact_id) WHERE is_active DO NOTHING
           RETURNING id, contact_id
         ), found AS (
           SELECT c.id, c.contact_id FROM conversations c
            WHERE c.workspace_id = $1 AND c.is_active AND c.contact_id = ANY($3::int[])
              AND c.contact_id NOT IN (SELECT contact_id FROM opened)
         ), conversation AS (
           SELECT id, contact_id FROM opened UNION ALL SELECT id, contact_id FROM found
         ), inserted AS (
           INSERT INTO messages (workspace_id, wa_message_id, contact_id, conversation_id, whatsapp_number_id,
                                 is_outbound, status, timestamp, ${PARSED.map(([n]) => n).join(', ')})
           SELECT $1, x.wa_message_id, x.contact_id, cv.id, x.whatsapp_number_id, false, 'received',
                  x.ts, ${PARSED.map(([n]) => `x.${n}`).join(', ')}
             FROM jsonb_to_recordset($4::jsonb)
                  AS x(ord integer, wa_message_id text, contact_id integer, whatsapp_number_id integer,
                       ts timestamptz, ${PARSED_RECORD})
             JOIN conversation cv ON cv.contact_id = x.contact_id
            ORDER BY x.ord
           ON CONFLICT (workspace_id, wa_message_id) DO NOTHING
           RETURNING *
         ), advanced AS (
           UPDATE conversations c
              SET last_message_at = GREATEST(c.last_message_at, x.last_at),
                  whatsapp_number_id = coalesce(c.whatsapp_number_id, x.number_id)
             FROM (SELECT i.conversation_id AS id, max(i."timestamp") AS last_at,
                          (array_agg(i.whatsapp_number_id ORDER BY i."timestamp", i.id)
                             FILTER (WHERE i.whatsapp_number_id IS NOT NULL))[1] AS number_id
                     FROM inserted i GROUP BY i.conversation_id) x
            WHERE c.id = x.id AND c.workspace_id = $1 AND c.is_active AND c.contact_id = ANY($3::int[])
              AND (c.last_message_at < x.last_at OR (c.whatsapp_number_id IS NULL AND x.number_id IS NOT NULL))
         )
         SELECT 'conversation' AS kind, jsonb_build_object('contact_id', contact_id) AS row FROM conversation
         UNION ALL
         SELECT 'message', to_jsonb(i) - 'raw_data' FROM inserted i`,
  // EventsService.publishAll() with WebhookService.insertEvents() along: the raw events,
  // the live events and their notifications in one statement. `eventsNoNotify` is the
  // what-if without pg_notify.
  events: `WITH along AS (${WEBHOOK_EVENTS}), inserted AS (
         INSERT INTO events (workspace_id, type, data)
         SELECT x.workspace_id, x.type, ${EVENT_DATA_SQL}
           FROM jsonb_to_recordset($9::jsonb)
                AS x(ord integer, workspace_id integer, type text, data jsonb, conversation_id integer)
          ORDER BY x.ord
         RETURNING id, workspace_id
       ), chunked AS (
         SELECT id, workspace_id,
                (row_number() OVER (PARTITION BY workspace_id ORDER BY id) - 1) / 300 AS chunk
           FROM inserted
       )
       SELECT pg_notify($10, workspace_id::text || ':' || string_agg(id::text, ',' ORDER BY id))
         FROM chunked GROUP BY workspace_id, chunk ORDER BY workspace_id, chunk`,
  eventsNoNotify: `WITH along AS (${WEBHOOK_EVENTS})
       INSERT INTO events (workspace_id, type, data)
         SELECT x.workspace_id, x.type, ${EVENT_DATA_SQL}
           FROM jsonb_to_recordset($9::jsonb)
                AS x(ord integer, workspace_id integer, type text, data jsonb, conversation_id integer)
          ORDER BY x.ord`,
  webhookEvents: WEBHOOK_EVENTS,
};

/**
 * One group transaction of the server, statement by statement, for the messages `indices`,
 * each its own single-message webhook (so each has its own webhook_events row); the
 * server's statements are set-based, so a group of one is the per-message design.
 * Answers the number of statements sent.
 */
async function ingestGroup(db, workspaceId, numberId, tag, contacts, indices, variant, options) {
  const now = new Date();
  const ts = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const profile = (from) => `Bench Customer ${from.slice(-5)}`;
  const messages = indices.map((i) => {
    const from = ingestContactWaId(i % contacts);
    const wamid = `wamid.BENCHCEIL${tag}.${variant}.${i}`;
    const raw = {
      from,
      id: wamid,
      timestamp: String(ts.getTime() / 1000),
      type: 'text',
      text: { body: `Bench message ${i}` },
    };
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '209000000000001',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: CEILING_NUMBER },
                contacts: [{ profile: { name: profile(from) }, wa_id: from }],
                messages: [raw],
              },
              field: 'messages',
            },
          ],
        },
      ],
    };
    return { from, wamid, raw, payload, rawBody: Buffer.from(JSON.stringify(payload)) };
  });
  let statements = 0;
  const q = (text, values) => {
    statements++;
    // As the server's queryPrepared: the group's statements prepared once per connection
    // (generic plans, see the connection); `custom-plans` plans each one every time.
    if (
      options.prepared &&
      /^\s*(WITH|SELECT id, phone_number_id|INSERT INTO webhook_events)/.test(text)
    ) {
      return db.query({ name: statementName(text), text, values });
    }
    return db.query(text, values);
  };

  // As the server's pipelinedTransaction with a number it has routed before: START
  // TRANSACTION, the number lookup (its confirmation) and the contacts statement leave in one
  // write, as do the last statement and COMMIT; `sequential` waits for each answer (the
  // server before 78180b9).
  const people = [...new Set(messages.map((m) => m.from))].sort();
  const contactInput = JSON.stringify(
    people.map((wa) => ({
      wa_id: wa,
      user_id: null,
      profile_name: profile(wa),
      username: null,
      wamids: messages.filter((m) => m.from === wa).map((m) => m.wamid),
    })),
  );
  const contactValues = [workspaceId, contactInput, people, [], messages.map((m) => m.wamid)];
  let contactsAnswer;
  const uncork = options.pipelined ? cork(db) : () => undefined;
  const begun = q(SQL.begin);
  try {
    if (options.pipelined) {
      contactsAnswer = Promise.all([
        begun,
        q(SQL.number, [[CEILING_NUMBER]]),
        q(SQL.contacts, contactValues),
      ]).then(([, , contacts]) => contacts);
      uncork();
    } else {
      await begun;
      await q(SQL.number, [[CEILING_NUMBER]]);
      contactsAnswer = q(SQL.contacts, contactValues);
    }
    const contactRows = (await contactsAnswer).rows.filter((r) => r.kind === 'contact');
    const contactIds = new Map(contactRows.map((r) => [r.wa_id, r.id]));
    const contactIdList = [...new Set(contactIds.values())].sort((a, b) => a - b);
    const spans = JSON.stringify(
      contactIdList.map((id) => ({
        contact_id: id,
        first_at: ts,
        last_at: ts,
        whatsapp_number_id: numberId,
      })),
    );
    const inserted = (
      await q(SQL.store, [
        workspaceId,
        spans,
        contactIdList,
        JSON.stringify(
          messages.map((m, ord) => ({
            ord,
            wa_message_id: m.wamid,
            message_type: 'text',
            content: m.raw.text.body,
            media_id: null,
            mime_type: null,
            sha256: null,
            file_name: null,
            reply_to_wa_message_id: null,
            forwarded: false,
            referral: null,
            error_code: null,
            error_title: null,
            error_details: null,
            raw_data: m.raw,
            contact_id: contactIds.get(m.from),
            whatsapp_number_id: numberId,
            ts,
          })),
        ),
      ])
    ).rows
      .filter((r) => r.kind === 'message')
      .map((r) => r.row);
    const webhookEvents = [
      messages.map(() => now),
      messages.map((m) => m.rawBody),
      messages.map((m) => JSON.stringify(m.payload)),
      messages.map(() => true),
      messages.map(() => 'processed'),
      messages.map(() => null),
      messages.map(() => 1),
      messages.map(() => 0),
    ];
    const uncorkEnd = options.pipelined ? cork(db) : () => undefined;
    let last;
    if (inserted.length > 0) {
      const events = inserted.map((row, ord) => ({
        ord,
        workspace_id: workspaceId,
        type: 'message.created',
        data: { message: row },
        conversation_id: row.conversation_id,
      }));
      // `no-notify` measures what NOTIFY costs: PostgreSQL serialises notifying commits
      // (src/backend/commands/async.c, PreCommit_Notify).
      if (!options.notify) {
        last = q(SQL.eventsNoNotify, [...webhookEvents, JSON.stringify(events)]);
      } else {
        last = q(SQL.events, [...webhookEvents, JSON.stringify(events), 'nolose_events']);
      }
    } else {
      last = q(SQL.webhookEvents, webhookEvents);
    }
    if (!options.pipelined) await last;
    const commit = q(SQL.commit);
    uncorkEnd();
    const [, committed] = await Promise.all([last, commit]);
    if (committed.command !== 'COMMIT') throw new Error(`COMMIT answered ${committed.command}`);
  } catch (err) {
    uncork();
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return statements;
}

/** Holds the connection's writes until the answered function is called (the server's cork()). */
function cork(db) {
  const { stream } = db.connection;
  stream.cork();
  let done = false;
  return () => {
    if (!done) stream.uncork();
    done = true;
  };
}

const statementName = (text) =>
  `ceiling_${[...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7)}`;

/**
 * Variants: `server` — the server's transactions at the main phase's concurrency: its
 * `requests` concurrent webhooks shared among `slots` transactions at once (the group
 * commit at full load; the ceiling the target compares with). What-ifs, combinable with
 * `+`: `no-notify` (without pg_notify), `custom-plans` (the statements planned on every
 * execution, as before they were prepared), `sequential` (each statement sent after the
 * answer to the one before, START TRANSACTION and COMMIT included, as before the server
 * pipelined them), `per-message` (one webhook per transaction from
 * `connections` connections: the design before group commit), `group-N` (N webhooks per
 * transaction, requests / N transactions at once).
 */
function variantOptions(variant, job) {
  const parts = new Set(variant.split('+'));
  const group = [...parts].map((p) => /^group-(\d+)$/.exec(p)).find(Boolean);
  const notify = !parts.has('no-notify');
  const prepared = !parts.has('custom-plans');
  const pipelined = !parts.has('sequential');
  if (parts.has('per-message')) {
    return { notify, prepared, pipelined, perTransaction: 1, connections: job.connections };
  }
  if (group) {
    const perTransaction = Math.max(1, Number(group[1]));
    return {
      notify,
      prepared,
      pipelined,
      perTransaction,
      connections: Math.max(1, Math.ceil(job.requests / perTransaction)),
    };
  }
  return {
    notify,
    prepared,
    pipelined,
    perTransaction: Math.max(1, Math.ceil(job.requests / job.slots)),
    connections: job.slots,
  };
}

async function run(job) {
  const { databaseUrl, workspaceId, tag, contacts, durationSeconds, amount } = job;
  const variant = job.variant ?? 'server';
  const options = variantOptions(variant, job);
  const { perTransaction, connections } = options;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(
    `INSERT INTO whatsapp_numbers (workspace_id, phone_number_id) VALUES ($1, $2) ON CONFLICT (phone_number_id) DO NOTHING`,
    [workspaceId, CEILING_NUMBER],
  );
  const numberId = (
    await admin.query(`SELECT id FROM whatsapp_numbers WHERE phone_number_id = $1`, [
      CEILING_NUMBER,
    ])
  ).rows[0].id;
  await admin.end();

  const clients = [];
  for (let c = 0; c < connections; c++) {
    const client = new pg.Client({
      connectionString: databaseUrl,
      application_name: 'no-lose-bench-ceiling',
      // The server's pool sets the same (server/database/data-source.ts).
      options: '-c plan_cache_mode=force_generic_plan',
      pipeline: true,
    });
    await client.connect();
    clients.push(client);
  }
  const latencies = new Samples(1 << 16);
  const errorSamples = [];
  let next = 0;
  let done = 0;
  let errors = 0;
  let statementsPerMessage = null;
  const started = performance.now();
  const deadline = amount ? Infinity : started + durationSeconds * 1000;
  const worker = async (db) => {
    while (performance.now() < deadline) {
      const first = next;
      next += perTransaction;
      if (amount && first >= amount) return;
      const indices = Array.from({ length: perTransaction }, (_, k) => first + k);
      const t0 = performance.now();
      try {
        const statements = await ingestGroup(
          db,
          workspaceId,
          numberId,
          tag,
          contacts,
          indices,
          variant,
          options,
        );
        statementsPerMessage = Math.round((statements / perTransaction) * 10) / 10;
        latencies.push(performance.now() - t0);
        done += perTransaction;
      } catch (err) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(String(err?.message ?? err));
      }
    }
  };
  await Promise.all(clients.map(worker));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return {
    variant,
    connections,
    messagesPerTransaction: perTransaction,
    messages: done,
    seconds: Math.round(seconds * 100) / 100,
    messagesPerSecond: Math.round(done / seconds),
    latency: latencies.summary(),
    statementsPerMessage,
    errors,
    errorSamples,
  };
}

process.on('disconnect', () => process.exit(0));
process.on('message', (job) => {
  run(job).then(
    (result) => process.send({ ok: true, result }),
    (err) => process.send({ ok: false, error: String(err?.stack ?? err) }),
  );
});
