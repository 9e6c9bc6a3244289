// The database ceiling: the SQL the server runs to ingest one single-message webhook, sent
// straight to PostgreSQL with node `pg` from as many connections as the server's pool, one
// transaction per message, one statement at a time (as TypeORM sends them). No HTTP, no
// Nest, no TypeORM: what is left is PostgreSQL's own cost (parse/plan/execute, WAL, the
// fsync of each commit) plus the round trips. Run as a child process of bench/run.mjs.
//
// KEEP IN SYNC with the server (a statement added there belongs here too):
//   server/webhook/webhook.service.ts     store(): transaction, insertEvent()
//   server/numbers/numbers.service.ts     resolve() → lookup()
//   server/inbox/inbox-ingest.service.ts  ingestMessages(), findOrCreateContacts(),
//                                         findOrOpenConversations(), advanceConversations()
//   server/inbox/inbox-query.service.ts   conversationViews() (3 queries)
//   server/events/events.service.ts       publishMany() (INSERT … RETURNING + pg_notify)
// The smoke test runs this file, so a statement that no longer fits the schema fails CI.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
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

const SQL = {
  begin: 'START TRANSACTION',
  commit: 'COMMIT',
  number: `SELECT phone_number_id, workspace_id, display_phone_number FROM whatsapp_numbers
        WHERE phone_number_id = ANY($1::text[])`,
  known: `SELECT id, wa_message_id FROM messages WHERE workspace_id = $1 AND wa_message_id = ANY($2::text[])`,
  contacts: `WITH input AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(wa_id text, user_id text, profile_name text, username text)
         ), inserted AS (
           INSERT INTO contacts (workspace_id, wa_id, user_id, name, profile_name, username)
           SELECT $1, wa_id, user_id, profile_name, profile_name, username FROM input ORDER BY wa_id
           ON CONFLICT DO NOTHING
           RETURNING id, wa_id, user_id, profile_name, username
         )
         SELECT *, true AS inserted FROM inserted
         UNION ALL
         SELECT c.id, c.wa_id, c.user_id, c.profile_name, c.username, false
           FROM contacts c
          WHERE c.workspace_id = $1
            AND (c.wa_id IN (SELECT wa_id FROM input)
                 OR c.user_id IN (SELECT user_id FROM input WHERE user_id IS NOT NULL))`,
  conversations: `WITH input AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(contact_id integer, first_at timestamptz, last_at timestamptz)
         ), inserted AS (
           INSERT INTO conversations (workspace_id, contact_id, started_at, last_message_at)
           SELECT $1, contact_id, first_at, last_at FROM input ORDER BY contact_id
           ON CONFLICT (contact_id) WHERE is_active DO NOTHING
           RETURNING id, contact_id
         )
         SELECT id, contact_id FROM inserted
         UNION ALL
         SELECT c.id, c.contact_id FROM conversations c
          WHERE c.workspace_id = $1 AND c.is_active AND c.contact_id IN (SELECT contact_id FROM input)`,
  // What-if `indexed`: the same statements with the lookups written so PostgreSQL can use
  // the unique indexes (ids and keys as array parameters). The server's `IN (SELECT … FROM
  // input)` / `OR` and `UPDATE … FROM jsonb_to_recordset` read every contact, open
  // conversation or conversation of the workspace for each webhook.
  contactsIndexed: `WITH input AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(wa_id text, user_id text, profile_name text, username text)
         ), inserted AS (
           INSERT INTO contacts (workspace_id, wa_id, user_id, name, profile_name, username)
           SELECT $1, wa_id, user_id, profile_name, profile_name, username FROM input ORDER BY wa_id
           ON CONFLICT DO NOTHING
           RETURNING id, wa_id, user_id, profile_name, username
         )
         SELECT *, true AS inserted FROM inserted
         UNION ALL
         SELECT c.id, c.wa_id, c.user_id, c.profile_name, c.username, false
           FROM contacts c
          WHERE c.workspace_id = $1 AND (c.wa_id = ANY($3::text[]) OR c.user_id = ANY($4::text[]))`,
  conversationsIndexed: `WITH input AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(contact_id integer, first_at timestamptz, last_at timestamptz)
         ), inserted AS (
           INSERT INTO conversations (workspace_id, contact_id, started_at, last_message_at)
           SELECT $1, contact_id, first_at, last_at FROM input ORDER BY contact_id
           ON CONFLICT (contact_id) WHERE is_active DO NOTHING
           RETURNING id, contact_id
         )
         SELECT id, contact_id FROM inserted
         UNION ALL
         SELECT c.id, c.contact_id FROM conversations c
          WHERE c.workspace_id = $1 AND c.is_active AND c.contact_id = ANY($3::int[])`,
  advanceIndexed: `UPDATE conversations c SET last_message_at = GREATEST(c.last_message_at, x.last_at)
         FROM jsonb_to_recordset($1::jsonb) AS x(id integer, last_at timestamptz)
        WHERE c.id = x.id AND c.id = ANY($2::int[])
        RETURNING c.*`,
  message: `INSERT INTO messages (workspace_id, wa_message_id, contact_id, conversation_id, is_outbound, status,
                               timestamp, ${PARSED.map(([n]) => n).join(', ')})
         SELECT $1, x.wa_message_id, x.contact_id, x.conversation_id, false, 'received',
                x.ts, ${PARSED.map(([n]) => `x.${n}`).join(', ')}
           FROM jsonb_to_recordset($2::jsonb)
                AS x(ord integer, wa_message_id text, contact_id integer, conversation_id integer, ts timestamptz,
                     ${PARSED_RECORD})
          ORDER BY x.ord
         ON CONFLICT (workspace_id, wa_message_id) DO NOTHING
         RETURNING *`,
  advance: `UPDATE conversations c SET last_message_at = GREATEST(c.last_message_at, x.last_at)
         FROM jsonb_to_recordset($1::jsonb) AS x(id integer, last_at timestamptz)
        WHERE c.id = x.id
        RETURNING c.*`,
  facts: `SELECT c.id,
              (SELECT m.id FROM messages m WHERE m.conversation_id = c.id ORDER BY m.id DESC LIMIT 1)
                AS last_message_id,
              (SELECT count(*) FROM messages m
                WHERE m.conversation_id = c.id AND NOT m.is_outbound
                  AND m.id > coalesce(c.last_read_message_id, 0))::int AS unread_count
         FROM conversations c
        WHERE c.id = ANY($1::int[])`,
  // TypeORM's findBy(Contact, {id: In(ids)}) and the query builder's `m.id IN (…)`: they name
  // every column (messages without raw_data) and one parameter per id; `*` and `= ANY` plan
  // the same and keep this file working when columns are added.
  contactRows: `SELECT * FROM contacts WHERE id = ANY($1::int[])`,
  lastMessages: `SELECT * FROM messages WHERE id = ANY($1::int[])`,
  // EventsService.publishMany(): every event of the transaction and its notification in one
  // statement. `eventsNoNotify` is the what-if without pg_notify.
  events: `WITH inserted AS (
         INSERT INTO events (workspace_id, type, data)
         SELECT $1, x.type, x.data
           FROM jsonb_to_recordset($2::jsonb) AS x(ord integer, type text, data jsonb)
          ORDER BY x.ord
         RETURNING id
       )
       SELECT pg_notify($3, $1::text || ':' || id::text) FROM (SELECT id FROM inserted ORDER BY id) ordered`,
  eventsNoNotify: `INSERT INTO events (workspace_id, type, data)
         SELECT $1, x.type, x.data
           FROM jsonb_to_recordset($2::jsonb) AS x(ord integer, type text, data jsonb)
          ORDER BY x.ord`,
  webhookEvent: `INSERT INTO webhook_events (received_at, raw_body, payload, signature_valid, outcome, error,
                                   messages_stored, statuses_stored)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)`,
};

/**
 * One webhook's transaction, statement by statement, for the messages `indices` (one for a
 * single-message webhook; several for a batch — the server's statements are set-based).
 * Answers the number of statements sent.
 */
async function ingestWebhook(db, workspaceId, tag, contacts, indices, variant, options) {
  const now = new Date();
  const ts = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const messages = indices.map((i) => {
    const from = ingestContactWaId(i % contacts);
    const wamid = `wamid.BENCHCEIL${tag}.${variant}.${i}`;
    return {
      from,
      wamid,
      raw: {
        from,
        id: wamid,
        timestamp: String(ts.getTime() / 1000),
        type: 'text',
        text: { body: `Bench message ${i}` },
      },
    };
  });
  const profile = (from) => `Bench Customer ${from.slice(-5)}`;
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
              contacts: messages.map((m) => ({
                profile: { name: profile(m.from) },
                wa_id: m.from,
              })),
              messages: messages.map((m) => m.raw),
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
  const rawBody = Buffer.from(JSON.stringify(payload));
  let statements = 0;
  const q = (text, values) => {
    statements++;
    return db.query(text, values);
  };

  await q(SQL.begin);
  try {
    await q(SQL.number, [[CEILING_NUMBER]]);
    await q(SQL.known, [workspaceId, messages.map((m) => m.wamid)]);
    const people = [...new Set(messages.map((m) => m.from))].sort();
    const contactInput = JSON.stringify(
      people.map((wa) => ({ wa_id: wa, user_id: null, profile_name: profile(wa), username: null })),
    );
    const contactRows = (
      options.indexed
        ? await q(SQL.contactsIndexed, [workspaceId, contactInput, people, []])
        : await q(SQL.contacts, [workspaceId, contactInput])
    ).rows;
    const contactIds = new Map(contactRows.map((r) => [r.wa_id, r.id]));
    const contactIdList = [...new Set(contactIds.values())].sort((a, b) => a - b);
    const spans = JSON.stringify(
      contactIdList.map((id) => ({ contact_id: id, first_at: ts, last_at: ts })),
    );
    const conversationRows = (
      options.indexed
        ? await q(SQL.conversationsIndexed, [workspaceId, spans, contactIdList])
        : await q(SQL.conversations, [workspaceId, spans])
    ).rows;
    const conversationIds = new Map(conversationRows.map((r) => [r.contact_id, r.id]));
    const inserted = (
      await q(SQL.message, [
        workspaceId,
        JSON.stringify(
          messages.map((m, ord) => {
            const contactId = contactIds.get(m.from);
            return {
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
              contact_id: contactId,
              conversation_id: conversationIds.get(contactId),
              ts,
            };
          }),
        ),
      ])
    ).rows;
    if (inserted.length > 0) {
      const touched = [...new Set(inserted.map((m) => m.conversation_id))].sort((a, b) => a - b);
      const advance = JSON.stringify(touched.map((id) => ({ id, last_at: ts })));
      const conversations = (
        options.indexed
          ? await q(SQL.advanceIndexed, [advance, touched])
          : await q(SQL.advance, [advance])
      ).rows;
      const facts = (await q(SQL.facts, [conversations.map((c) => c.id)])).rows;
      const contactsById = new Map(
        (await q(SQL.contactRows, [conversations.map((c) => c.contact_id)])).rows.map((c) => [
          c.id,
          c,
        ]),
      );
      const lastById = new Map(
        (await q(SQL.lastMessages, [facts.map((f) => f.last_message_id)])).rows.map((m) => [
          m.id,
          m,
        ]),
      );
      const view = new Map(
        conversations.map((c) => {
          const f = facts.find((x) => x.id === c.id);
          const conversation = {
            ...c,
            contact: contactsById.get(c.contact_id),
            last_message: lastById.get(f?.last_message_id) ?? null,
            unread_count: f?.unread_count ?? 0,
          };
          return [c.id, conversation];
        }),
      );
      const events = inserted.map((row, ord) => ({
        ord,
        type: 'message.created',
        data: {
          message: { ...row, raw_data: undefined },
          conversation: view.get(row.conversation_id),
        },
      }));
      // `no-notify` measures what the global NOTIFY queue lock costs: PostgreSQL holds it
      // from pre-commit until the commit is flushed, so NOTIFYing transactions cannot
      // share an fsync (src/backend/commands/async.c, PreCommit_Notify).
      if (!options.notify) {
        await q(SQL.eventsNoNotify, [workspaceId, JSON.stringify(events)]);
      } else {
        await q(SQL.events, [workspaceId, JSON.stringify(events), 'nolose_events']);
      }
    }
    await q(SQL.webhookEvent, [
      now,
      rawBody,
      JSON.stringify(payload),
      true,
      'processed',
      null,
      inserted.length,
      0,
    ]);
    await q(SQL.commit);
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return statements;
}

/**
 * Variants: `server` — single-message webhooks as the server runs them (the ceiling the
 * target compares with). What-ifs, combinable with `+`: `indexed` (lookups that use the
 * indexes, see SQL.contactsIndexed), `no-notify` (without pg_notify), `group-N` (N
 * concurrent single-message webhooks committed in one transaction with the same set-based
 * statements: what grouping concurrent requests into one commit would give).
 */
function variantOptions(variant) {
  const parts = new Set(variant.split('+'));
  const group = [...parts].map((p) => /^group-(\d+)$/.exec(p)).find(Boolean);
  return {
    indexed: parts.has('indexed'),
    notify: !parts.has('no-notify'),
    perTransaction: group ? Math.max(1, Number(group[1])) : 1,
  };
}

async function run(job) {
  const { databaseUrl, workspaceId, tag, contacts, durationSeconds, amount } = job;
  const variant = job.variant ?? 'server';
  const options = variantOptions(variant);
  const perTransaction = options.perTransaction;
  // One message per transaction: `connections` connections, like the server's pool. Grouped
  // N at a time, the `requests` concurrent requests are requests / N transactions.
  const connections =
    perTransaction === 1 ? job.connections : Math.max(1, Math.ceil(job.requests / perTransaction));
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(
    `INSERT INTO whatsapp_numbers (workspace_id, phone_number_id) VALUES ($1, $2) ON CONFLICT (phone_number_id) DO NOTHING`,
    [workspaceId, CEILING_NUMBER],
  );
  await admin.end();

  const clients = [];
  for (let c = 0; c < connections; c++) {
    const client = new pg.Client({
      connectionString: databaseUrl,
      application_name: 'no-lose-bench-ceiling',
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
        const statements = await ingestWebhook(
          db,
          workspaceId,
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
