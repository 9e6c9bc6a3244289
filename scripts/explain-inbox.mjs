// EXPLAIN ANALYZE of every inbox list query on a big workspace (docs/indexes.md).
//   npm run build:server
//   DATABASE_URL=postgres://…/throwaway node scripts/explain-inbox.mjs [--seed]
// --seed first loads scripts/seed-million.sql (1,000,000 messages; about a minute) and
// vacuums. The SQL explained is what the real InboxQueryService and InboxStatsService send:
// they run against the database once, their queries are captured, then explained.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';

const root = path.resolve(import.meta.dirname, '..');
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to a migrated, throwaway database.');
  process.exit(1);
}

const { dataSourceOptions } = await import('../dist/server/database/data-source.js');
const { Contact } = await import('../dist/server/inbox/contact.entity.js');
const { Conversation } = await import('../dist/server/inbox/conversation.entity.js');
const { Message } = await import('../dist/server/inbox/message.entity.js');
const { InboxQueryService } = await import('../dist/server/inbox/inbox-query.service.js');
const { InboxStatsService } = await import('../dist/server/inbox/inbox-stats.service.js');

let captured = [];
const logger = {
  logQuery: (query, parameters) => captured.push({ query, parameters: parameters ?? [] }),
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};
const ds = new DataSource({
  ...dataSourceOptions({ url, poolSize: 2 }),
  entities: [Contact, Conversation, Message],
  logging: ['query'],
  logger,
});
await ds.initialize();

if (process.argv.includes('--seed')) {
  console.log('Seeding (scripts/seed-million.sql)…');
  await ds.query(readFileSync(path.join(root, 'scripts', 'seed-million.sql'), 'utf8'));
  for (const table of ['contacts', 'conversations', 'messages', 'events'])
    await ds.query(`VACUUM ANALYZE ${table}`);
}

const [bench] = await ds.query(
  `SELECT max(id) AS id FROM workspaces WHERE name = 'Bench: 1M messages'`,
);
if (!bench?.id) throw new Error('No bench workspace: run with --seed');
const ws = bench.id;
const [neighbour] = await ds.query(
  `SELECT max(id) AS id FROM workspaces WHERE name = 'Bench: neighbour'`,
);
const [sample] = await ds.query(
  `SELECT c.id AS contact_id,
          (SELECT id FROM conversations WHERE contact_id = c.id AND is_active) AS open_id,
          (SELECT max(id) FROM messages WHERE workspace_id = $1) AS max_message_id,
          (SELECT count(*) FROM messages WHERE workspace_id = $1) AS messages
     FROM contacts c WHERE c.workspace_id = $1 ORDER BY c.id LIMIT 1`,
  [ws],
);
const midMessage = sample.max_message_id - 500_000;
const [midConversation] = await ds.query(
  `SELECT id FROM conversations WHERE workspace_id = $1 ORDER BY last_message_at DESC, id DESC OFFSET 6000 LIMIT 1`,
  [ws],
);
console.log(
  `Workspace ${ws}: ${sample.messages} messages; contact ${sample.contact_id}, conversation ${sample.open_id}\n`,
);

const inbox = new InboxQueryService(
  ds,
  ds.getRepository(Message),
  ds.getRepository(Contact),
  ds.getRepository(Conversation),
);
const stats = new InboxStatsService(ds);
const page = (extra = {}) => ({ limit: 100, skip: 0, ...extra });

const cases = [
  ['GET /messages (first page)', () => inbox.listMessages(ws, page())],
  [
    'GET /messages?before_id=<middle>',
    () => inbox.listMessages(ws, page({ before_id: midMessage })),
  ],
  ['GET /messages?skip=10000', () => inbox.listMessages(ws, page({ skip: 10_000 }))],
  [
    'GET /messages?contact_id',
    () => inbox.listMessages(ws, page({ contact_id: sample.contact_id })),
  ],
  [
    'GET /messages?conversation_id',
    () => inbox.listMessages(ws, page({ conversation_id: sample.open_id })),
  ],
  [
    'GET /conversations/:id/messages?limit=50',
    () => inbox.listConversationMessages(ws, sample.open_id, page({ limit: 50 })),
  ],
  [
    'GET /messages (first page, the small neighbour workspace)',
    () => inbox.listMessages(neighbour.id, page()),
  ],
  ['GET /contacts (first page)', () => inbox.listContacts(ws, page())],
  ['GET /contacts?q=olga (common name)', () => inbox.listContacts(ws, page({ q: 'olga' }))],
  [
    'GET /contacts?q=2000421 (part of a number)',
    () => inbox.listContacts(ws, page({ q: '2000421' })),
  ],
  ['GET /contacts?q=nobody (no match)', () => inbox.listContacts(ws, page({ q: 'nobody' }))],
  [
    'GET /conversations (all, with contact, last message, unread)',
    () => inbox.listConversations(ws, page({ status: 'all' })),
  ],
  ['GET /conversations?status=open', () => inbox.listConversations(ws, page({ status: 'open' }))],
  [
    'GET /conversations?status=closed',
    () => inbox.listConversations(ws, page({ status: 'closed' })),
  ],
  [
    'GET /conversations?before_id=<deep>',
    () => inbox.listConversations(ws, page({ status: 'all', before_id: midConversation.id })),
  ],
  [
    'GET /conversations?q=ivanova (common)',
    () => inbox.listConversations(ws, page({ status: 'all', q: 'ivanova' })),
  ],
  [
    'GET /conversations?q=2000421 (rare)',
    () => inbox.listConversations(ws, page({ status: 'all', q: '2000421' })),
  ],
  ['GET /stats', () => stats.totals(ws)],
  ['GET /stats/daily?days=14', () => stats.daily(ws, 14)],
  ['GET /stats/daily?days=90', () => stats.daily(ws, 90)],
  // The live stream's two reads (server/events/events-stream.service.ts): its starting
  // point, and what a stream 50 events behind (or one announced event) still needs.
  [
    'GET /events: starting point',
    () => ds.query(`SELECT coalesce(max(id), 0) AS id FROM events WHERE workspace_id = $1`, [ws]),
  ],
  [
    'GET /events: catch-up read (a stream 5,000 events behind)',
    async () => {
      const [{ id }] = await ds.query(
        `SELECT coalesce(max(id), 0) AS id FROM events WHERE workspace_id = $1`,
        [ws],
      );
      captured = [];
      return ds.query(
        `SELECT id, type, data FROM events
        WHERE id = ANY(ARRAY(SELECT id FROM events WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT 500))
        ORDER BY id`,
        [ws, String(BigInt(id) - 5000n)],
      );
    },
  ],
  [
    'GET /events: a late-committed event',
    async () => {
      const [{ id }] = await ds.query(
        `SELECT coalesce(max(id), 0) AS id FROM events WHERE workspace_id = $1`,
        [ws],
      );
      captured = [];
      return ds.query(
        `SELECT id, type, data FROM events WHERE workspace_id = $1 AND id = ANY($2::bigint[]) ORDER BY id`,
        [ws, [String(BigInt(id) - 3n)]],
      );
    },
  ],
];

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
for (const [title, run] of cases) {
  if (only && !title.includes(only)) continue;
  // Warm runs: the plans and timings below are of a warm database, as in production.
  const times = [];
  for (let i = 0; i < 7; i++) {
    captured = [];
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  const median = times.sort((a, b) => a - b)[3];
  const queries = captured.filter((c) => /^\s*(SELECT|WITH)/i.test(c.query));
  captured = [];
  console.log(
    `=== ${title} — ${queries.length} quer${queries.length === 1 ? 'y' : 'ies'}, median ${median.toFixed(1)} ms through TypeORM`,
  );
  for (const { query, parameters } of queries) {
    console.log(`--- ${query.replace(/\s+/g, ' ').slice(0, 400)}`);
    const plan = await ds.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${query}`, parameters);
    console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
  }
  console.log();
}
await ds.destroy();
