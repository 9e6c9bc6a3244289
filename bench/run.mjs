#!/usr/bin/env node
// `npm run bench` — how fast No Lose ingests Meta webhooks and serves the inbox, measured
// the same way every time (issue 7). See bench/README.md for what each figure means.
//
//   node bench/run.mjs            full run (needs `npm run build:server` first)
//   node bench/run.mjs --smoke    a few hundred messages, tiny read dataset, no timing checks
//   node bench/run.mjs --strict   exit 2 when a performance target is missed
//
// Exit status: 0 when every phase ran and the data checks held (no loss, no duplicates);
// 1 when something failed or a data check did not hold.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ApiClient } from './lib/api-client.mjs';
import { groupMetricsDelta, readGroupMetrics } from './lib/group-metrics.mjs';
import {
  createCeilingWorkspace,
  insertOutboundMessages,
  loadReadDataset,
  outboundStatusCounts,
  statusEventCount,
} from './lib/datasets.mjs';
import { expectedStatusCounts, parseInboundWamid } from './lib/meta-payloads.mjs';
import { summarize } from './lib/percentiles.mjs';
import { postmasterOf, startSampler } from './lib/proc-sampler.mjs';
import { printReport, evaluateTargets } from './lib/report.mjs';
import { benchEnvironment, freePort, startDatabase, startServer } from './lib/server-process.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const SMOKE = argv.includes('--smoke');
const STRICT = argv.includes('--strict');
const env = process.env;

function int(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return value;
}

function ints(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw.trim() === 'none') return [];
  const values = raw.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`${name} must list positive integers, got ${raw}`);
  return values;
}

const MAIN_CONCURRENCY = int('BENCH_MAIN_CONCURRENCY', 50);
/** DB_POOL_SIZE's default in server/config/env.ts. */
const SERVER_DEFAULT_POOL_SIZE = 20;
/** The server's WEBHOOK_COMMIT_SLOTS (its default in server/config/env.ts is 2). */
const COMMIT_SLOTS = int('BENCH_COMMIT_SLOTS', 2);
const config = SMOKE
  ? {
      mode: 'smoke',
      warmupSeconds: 0,
      // Smoke phases send a fixed number of requests (autocannon `amount`), not a duration.
      single: [
        { connections: 10, amount: 100 },
        { connections: MAIN_CONCURRENCY, amount: 150, main: true },
      ],
      batch: [{ connections: 2, amount: 4 }],
      batchSize: 50,
      contacts: 120,
      statuses: [{ connections: 10, outbound: 100, amount: 300 }],
      ceiling: { connections: 10, requests: 10, amount: 200 },
      read: {
        messages: 5_000,
        contacts: 100,
        warmups: 2,
        samples: 5,
        deepSkip: 2_500,
        budgetSeconds: 10,
      },
    }
  : {
      mode: 'full',
      warmupSeconds: int('BENCH_WARMUP', 3),
      single: ints('BENCH_CONCURRENCY', [10, MAIN_CONCURRENCY, 100]).map((c) => ({
        connections: c,
        durationSeconds:
          c === MAIN_CONCURRENCY ? int('BENCH_DURATION', 60) : int('BENCH_SHORT_DURATION', 15),
        main: c === MAIN_CONCURRENCY,
      })),
      batch: ints('BENCH_BATCH_CONCURRENCY', [10, MAIN_CONCURRENCY]).map((c) => ({
        connections: c,
        durationSeconds: int('BENCH_SHORT_DURATION', 15),
      })),
      batchSize: 50,
      contacts: int('BENCH_CONTACTS', 10_000),
      statuses: ints('BENCH_STATUS_CONCURRENCY', [MAIN_CONCURRENCY]).map((c) => ({
        connections: c,
        durationSeconds: int('BENCH_STATUS_DURATION', int('BENCH_SHORT_DURATION', 15)),
      })),
      ceiling: {
        // The server reaches PostgreSQL through at most DB_POOL_SIZE connections, whatever
        // the HTTP concurrency: the ceiling uses as many (see bench/README.md).
        connections: int(
          'BENCH_CEILING_CONNECTIONS',
          Math.min(MAIN_CONCURRENCY, int('BENCH_DB_POOL_SIZE', SERVER_DEFAULT_POOL_SIZE)),
        ),
        requests: MAIN_CONCURRENCY,
        durationSeconds: int('BENCH_CEILING_DURATION', 15),
      },
      read: {
        messages: int('BENCH_READ_MESSAGES', 1_000_000),
        contacts: int('BENCH_READ_CONTACTS', 10_000),
        // A p99 needs enough samples to mean something (of 200 it is the 2nd slowest), and a
        // server in service runs optimised code: V8 optimises a path after many calls.
        warmups: int('BENCH_READ_WARMUP', 50),
        samples: int('BENCH_READ_SAMPLES', 1000),
        deepSkip: int('BENCH_DEEP_SKIP', 500_000),
        budgetSeconds: int('BENCH_READ_BUDGET', 30),
      },
    };
if (config.single.filter((p) => p.main).length !== 1) {
  throw new Error(`BENCH_CONCURRENCY must include BENCH_MAIN_CONCURRENCY (${MAIN_CONCURRENCY})`);
}
/** BENCH_ONLY=ingest,ceiling,statuses,reads runs a subset (e.g. with BENCH_CPU_PROF=1). */
const ONLY = new Set(
  (env.BENCH_ONLY ?? 'ingest,ceiling,statuses,reads').split(',').map((s) => s.trim()),
);
const CPU_PROF = env.BENCH_CPU_PROF === '1';
const CEILING_VARIANTS = (
  env.BENCH_CEILING_VARIANTS ?? 'server,server+sequential,server+no-notify,per-message'
)
  .split(',')
  .map((s) => s.trim());

const started = new Date();
const stamp = started
  .toISOString()
  .replace(/:/g, '-')
  .replace(/\.\d+Z$/, 'Z');
const resultsDir = path.join(ROOT, 'bench', 'results');
const reportPath = env.BENCH_REPORT
  ? path.resolve(env.BENCH_REPORT)
  : SMOKE
    ? path.join(os.tmpdir(), `nolose-bench-smoke-${stamp}.json`)
    : path.join(resultsDir, `${stamp}.json`);
const tag = randomBytes(3).toString('hex');

const log = (line) =>
  process.stdout.write(
    `[bench ${((Date.now() - started.getTime()) / 1000).toFixed(1).padStart(6)} s] ${line}\n`,
  );

// ---------------------------------------------------------------------------------------
// Everything started is stopped again, in reverse order: on success, on failure, on Ctrl-C.
const cleanups = [];
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const step = cleanups.pop();
      try {
        await step.run();
      } catch (err) {
        log(`Cleanup "${step.name}" failed: ${err?.message ?? err}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`${signal}: stopping the server and PostgreSQL`);
    const force = setTimeout(() => process.exit(130), 60_000);
    force.unref();
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------
// Child processes: the webhook load generator and the database ceiling run apart from this
// process (and from the server), so their CPU is theirs.
let currentChildPid = null;

function runChild(script, job) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(ROOT, 'bench', 'lib', script), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    currentChildPid = child.pid;
    const step = { name: `child ${script}`, run: async () => child.kill('SIGKILL') };
    cleanups.push(step);
    let answered = false;
    child.on('message', (msg) => {
      answered = true;
      child.disconnect();
      if (msg.ok) resolve(msg.result);
      else reject(new Error(`${script} failed: ${msg.error}`));
    });
    child.on('exit', (code, signal) => {
      if (currentChildPid === child.pid) currentChildPid = null;
      const i = cleanups.indexOf(step);
      if (i >= 0) cleanups.splice(i, 1);
      if (!answered) reject(new Error(`${script} exited without an answer (${code ?? signal})`));
    });
    child.send(job);
  });
}

// ---------------------------------------------------------------------------------------
// Module level so a failed run still leaves its partial figures in the report file.
let report = null;

async function main() {
  report = {
    date: started.toISOString(),
    mode: config.mode,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverageAtStart: os.loadavg().map((v) => Math.round(v * 100) / 100),
    },
    config,
    ingest: [],
    verification: null,
    ceiling: null,
    statuses: [],
    reads: null,
    problems: [],
  };
  log(
    `No Lose bench (${config.mode}), run ${tag}; load average ${report.machine.loadAverageAtStart.join(' ')} on ${report.machine.cpus} cores`,
  );

  // --- system under test ---------------------------------------------------------------
  let databaseUrl = env.BENCH_DATABASE_URL;
  let database = null;
  if (!databaseUrl) {
    database = await startDatabase(ROOT, log);
    cleanups.push({
      name: 'embedded PostgreSQL',
      run: () => database.stop({ keep: env.BENCH_KEEP_DATA === '1' }),
    });
    databaseUrl = database.url;
  } else {
    log(
      'Using BENCH_DATABASE_URL (it must be an empty database: the bench writes millions of rows)',
    );
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nolose-bench-data-'));
  cleanups.push({
    name: 'server data dir',
    run: async () => rmSync(dataDir, { recursive: true, force: true }),
  });
  const port = await freePort();
  const serverEnv = benchEnvironment({
    port,
    databaseUrl,
    dataDir,
    poolSize: env.BENCH_DB_POOL_SIZE,
    commitSlots: COMMIT_SLOTS,
  });
  const profileDir = env.BENCH_CPU_PROF_DIR
    ? path.resolve(env.BENCH_CPU_PROF_DIR)
    : path.join(os.tmpdir(), `nolose-bench-profile-${stamp}`);
  if (CPU_PROF) mkdirSync(profileDir, { recursive: true });
  const server = await startServer({
    root: ROOT,
    env: serverEnv,
    nodeArgs: CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    log,
    onSpawn: (handle) =>
      cleanups.push({
        name: 'server',
        run: async () => {
          const result = await handle.stop();
          if (CPU_PROF) log(`CPU profile of the server written to ${profileDir}`);
          return result;
        },
      }),
  });
  report.serverPoolSize = Number(serverEnv.DB_POOL_SIZE ?? SERVER_DEFAULT_POOL_SIZE);
  report.serverCommitSlots = COMMIT_SLOTS;

  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 4,
    application_name: 'no-lose-bench',
  });
  cleanups.push({ name: 'bench pool', run: () => pool.end() });
  report.machine.postgres = (await pool.query('SHOW server_version')).rows[0].server_version;
  report.machine.postgresSettings = Object.fromEntries(
    (
      await pool.query(
        `SELECT name, setting FROM pg_settings
          WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'max_connections')`,
      )
    ).rows.map((r) => [r.name, r.setting]),
  );
  const { rows: existing } = await pool.query('SELECT count(*)::int AS n FROM workspaces');
  if (existing[0].n !== 0) {
    throw new Error(
      'The database already has workspaces: the bench needs an empty database (WA_PHONE_NUMBER_ID belongs to the first workspace)',
    );
  }

  // With BENCH_DATABASE_URL on this machine, PostgreSQL's CPU is still measurable: the
  // postmaster is the parent of our backend.
  const localPostmaster = database ? null : await postmasterOf(pool);
  const sampler = startSampler({
    server: { pid: () => server.pid },
    postgres: { pid: () => database?.postmasterPid() ?? localPostmaster, tree: true },
    loadgen: { pid: () => currentChildPid },
  });
  cleanups.push({ name: 'sampler', run: async () => sampler.stop() });

  // The bootstrap number (WA_PHONE_NUMBER_ID) belongs to the first workspace ever created:
  // register before the first webhook, then sign in to read what was stored.
  const api = new ApiClient(port);
  cleanups.push({ name: 'api client', run: async () => api.close() });
  const credentials = {
    email: `bench-${tag}@example.com`,
    password: `bench-${randomBytes(6).toString('hex')}`,
  };
  await api.json('POST', '/api/auth/register', {
    body: { ...credentials, name: 'Bench Operator' },
  });
  api.token = (await api.json('POST', '/api/auth/login', { body: credentials })).access_token;
  const me = await api.json('GET', '/api/auth/me');
  const workspaceId =
    me.workspace?.id ?? (await pool.query('SELECT min(id) AS id FROM workspaces')).rows[0].id;
  log(`Registered ${credentials.email}, workspace ${workspaceId}`);

  const number = {
    phoneNumberId: serverEnv.WA_PHONE_NUMBER_ID,
    wabaId: serverEnv.WA_BUSINESS_ACCOUNT_ID,
    displayPhoneNumber: '15550783881',
  };
  const job = (phase, spec, load) => ({
    port,
    appSecret: serverEnv.WA_APP_SECRET,
    connections: load.connections,
    durationSeconds: load.durationSeconds,
    amount: load.amount,
    spec: { tag, phase, number, ...spec },
  });

  // --- ingest ----------------------------------------------------------------------------
  const produced = new Map(); // phase → messages produced (all must be stored)
  if (ONLY.has('ingest')) {
    const plan = [];
    if (config.warmupSeconds > 0) {
      plan.push({
        phase: 'warmup',
        kind: 'single',
        load: { connections: 10, durationSeconds: config.warmupSeconds },
        warmup: true,
      });
    }
    for (const load of config.single)
      plan.push({ phase: `s${load.connections}`, kind: 'single', load, main: load.main });
    for (const load of config.batch)
      plan.push({ phase: `b${load.connections}`, kind: 'batch', load });
    for (const step of plan) {
      const what =
        step.kind === 'batch' ? `${config.batchSize} messages per POST` : 'one message per POST';
      const length = step.load.amount
        ? `${step.load.amount} requests`
        : `${step.load.durationSeconds} s`;
      log(
        `Ingest ${step.phase}: ${what}, ${step.load.connections} connections, ${length}${step.main ? ' (main, sustained)' : ''}`,
      );
      const groupsBefore = await readGroupMetrics(api);
      sampler.mark(step.phase);
      const result = await runChild(
        'webhook-load.mjs',
        job(
          step.phase,
          { kind: step.kind, contacts: config.contacts, batchSize: config.batchSize },
          step.load,
        ),
      );
      sampler.pause();
      const messages = result.produced * result.messagesPerRequest;
      produced.set(step.phase, messages);
      const row = ingestRow(step, result, sampler.window(step.phase));
      row.groupCommit = groupMetricsDelta(groupsBefore, await readGroupMetrics(api));
      if (!step.warmup) report.ingest.push(row);
      if (step.warmup) {
        // Statistics as a database in service has them: autovacuum's first visit to a new
        // cluster comes only after a minute, and until then the server's prepared
        // statements (generic plans) would be planned for the empty tables of the start.
        await pool.query('ANALYZE');
      }
      log(
        `  ${row.messagesPerSecond} msg/s, p50 ${row.latency.p50} ms, p99 ${row.latency.p99} ms, ` +
          `${row.non2xx} non-2xx, ${row.errors} errors, ${row.redelivered} redelivered, server RSS max ${row.resources.server?.rssMaxMb ?? '?'} MB`,
      );
      if (result.failureSamples.length > 0)
        log(`  first failures: ${JSON.stringify(result.failureSamples.slice(0, 2))}`);
      if (result.redeliveryFailed.length > 0) {
        report.problems.push(
          `${step.phase}: ${result.redeliveryFailed.length} bodies never acknowledged, even when redelivered`,
        );
      }
      const exited = server.exited();
      if (exited)
        throw new Error(
          `The server exited during ${step.phase}: ${JSON.stringify(exited)}\n${server.tail.join('\n')}`,
        );
    }
  }

  // --- database ceiling -------------------------------------------------------------------
  if (ONLY.has('ceiling')) {
    const ceilingWorkspace = await createCeilingWorkspace(pool, { contacts: config.contacts });
    const load = config.ceiling;
    const variants = [];
    // `server` is the ceiling the target compares with; the others are what-ifs that show
    // what a change to the server's SQL would buy.
    for (const variant of CEILING_VARIANTS) {
      log(
        `Ceiling (${variant}): the ingest SQL straight to PostgreSQL, ` +
          `${load.amount ? `${load.amount} messages` : `${load.durationSeconds} s`}`,
      );
      sampler.mark(`ceiling-${variant}`);
      const result = await runChild('db-ceiling.mjs', {
        databaseUrl,
        workspaceId: ceilingWorkspace,
        tag,
        variant,
        contacts: config.contacts,
        slots: COMMIT_SLOTS,
        connections: load.connections,
        requests: load.requests,
        durationSeconds: load.durationSeconds,
        amount: load.amount,
      });
      sampler.pause();
      variants.push({
        ...result,
        resources: sampler.window(`ceiling-${variant}`),
      });
      log(
        `  ${result.messagesPerSecond} msg/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.errors} errors`,
      );
      if (result.errors > 0) {
        report.problems.push(
          `ceiling ${variant}: ${result.errors} transactions failed (${result.errorSamples.join('; ')})`,
        );
      }
    }
    report.ceiling = { ...(variants.find((v) => v.variant === 'server') ?? variants[0]), variants };
  }

  // --- verify what was stored ---------------------------------------------------------------
  if (ONLY.has('ingest')) {
    log(
      'Verifying stored messages through the API (cursor walk over /api/messages, /api/stats) and SQL',
    );
    report.verification = await verifyIngest({
      api,
      pool,
      workspaceId,
      produced,
      contacts: config.contacts,
    });
    const v = report.verification;
    log(
      `  expected ${v.expected}, API saw ${v.api.seen} (${v.api.missing} missing, ${v.api.duplicates} duplicates, ` +
        `${v.api.unexpected} unexpected), SQL ${v.sql.rows} rows / ${v.sql.distinctWamids} distinct`,
    );
    for (const p of v.problems) report.problems.push(`verification: ${p}`);
  }

  // --- statuses -------------------------------------------------------------------------------
  if (ONLY.has('statuses')) {
    const mainRate = report.ingest.find((r) => r.main)?.messagesPerSecond ?? 1000;
    for (const load of config.statuses) {
      const phase = `st${load.connections}`;
      // Enough outbound messages that the phase walks them through sent, delivered and read.
      const outbound =
        load.outbound ??
        Math.max(10 * load.connections, Math.ceil((mainRate * load.durationSeconds) / 3));
      const outboundContacts = Math.min(1000, outbound);
      const statusTag = `${tag}${phase}`;
      await insertOutboundMessages(pool, {
        workspaceId,
        tag: statusTag,
        count: outbound,
        contacts: outboundContacts,
      });
      log(
        `Statuses ${phase}: sent → delivered → read for ${outbound} outbound messages, ${load.connections} connections, ${load.amount ? `${load.amount} events` : `${load.durationSeconds} s`}`,
      );
      const groupsBefore = await readGroupMetrics(api);
      sampler.mark(phase);
      const result = await runChild('webhook-load.mjs', {
        ...job(phase, { kind: 'status', outboundCount: outbound, outboundContacts }, load),
        spec: {
          tag: statusTag,
          phase,
          number,
          kind: 'status',
          outboundCount: outbound,
          outboundContacts,
        },
      });
      sampler.pause();
      const row = ingestRow({ phase, kind: 'status', load }, result, sampler.window(phase));
      row.groupCommit = groupMetricsDelta(groupsBefore, await readGroupMetrics(api));
      row.statusEventsPerSecond = row.messagesPerSecond;
      const expected = expectedStatusCounts(result.produced, outbound);
      const actual = await outboundStatusCounts(pool, { workspaceId, tag: statusTag });
      const events = await statusEventCount(pool, { workspaceId, tag: statusTag });
      const expectedEvents = Math.min(result.produced, 3 * outbound);
      row.verification = {
        outbound,
        eventsSent: result.produced,
        expectedFinal: expected,
        actualFinal: { pending: 0, sent: 0, delivered: 0, read: 0, ...actual },
        statusEventsStored: events.n,
        statusEventsExpected: expectedEvents,
      };
      const problems = [];
      for (const s of ['pending', 'sent', 'delivered', 'read']) {
        if ((actual[s] ?? 0) !== expected[s])
          problems.push(`${s}: expected ${expected[s]}, found ${actual[s] ?? 0}`);
      }
      if (events.n !== null && events.n !== expectedEvents) {
        problems.push(
          `status events stored ${events.n}, expected ${expectedEvents} (no loss, redeliveries deduplicated)`,
        );
      }
      row.verification.ok = problems.length === 0;
      for (const p of problems) report.problems.push(`statuses ${phase}: ${p}`);
      report.statuses.push(row);
      log(
        `  ${row.messagesPerSecond} events/s, p50 ${row.latency.p50} ms, p99 ${row.latency.p99} ms, ${row.non2xx} non-2xx, ` +
          `${row.errors} errors; final ${JSON.stringify(row.verification.actualFinal)} ${row.verification.ok ? 'as expected' : 'MISMATCH'}`,
      );
    }
    const stats = await api.json('GET', '/api/stats');
    const expectedInbound = [...produced.values()].reduce((a, b) => a + b, 0);
    if (ONLY.has('ingest') && stats.inbound_messages !== expectedInbound) {
      report.problems.push(
        `statuses changed the inbound count: ${stats.inbound_messages} ≠ ${expectedInbound}`,
      );
    }
  }

  // --- reads at scale -------------------------------------------------------------------------
  if (ONLY.has('reads')) {
    const r = config.read;
    log(
      `Reads: loading ${r.messages.toLocaleString('en')} messages across ${r.contacts.toLocaleString('en')} contacts with SQL`,
    );
    const load = await loadReadDataset(pool, {
      workspaceId,
      tag,
      contacts: r.contacts,
      messages: r.messages,
      log,
    });
    report.reads = await measureReads({
      api,
      pool,
      workspaceId,
      tag,
      settings: r,
      loadSeconds: load.seconds,
    });
    for (const e of report.reads.endpoints) {
      log(
        `  ${e.name.padEnd(34)} p50 ${String(e.p50 ?? '-').padStart(8)} ms  p99 ${String(e.p99 ?? '-').padStart(8)} ms  (n=${e.n}${e.problem ? `, ${e.problem}` : ''})`,
      );
      if (e.problem) report.problems.push(`reads ${e.name}: ${e.problem}`);
    }
  }

  sampler.stop();
  // The webhook answers 200 even when processing failed (the raw event is kept as `failed`
  // for a replay, so Meta does not retry forever): count those, they are not stored data.
  const { rows: outcomes } = await pool
    .query(
      `SELECT outcome, count(*)::int AS n FROM webhook_events GROUP BY outcome ORDER BY outcome`,
    )
    .catch(() => ({ rows: [] }));
  report.webhookOutcomes = Object.fromEntries(outcomes.map((r) => [r.outcome, r.n]));
  for (const outcome of ['failed', 'unknown_number', 'ignored']) {
    if (report.webhookOutcomes[outcome]) {
      report.problems.push(
        `${report.webhookOutcomes[outcome]} webhooks were answered 200 but kept raw as "${outcome}"`,
      );
    }
  }
  report.serverErrors = { count: server.errors.count, first: server.errors.first };
  report.machine.loadAverageAtEnd = os.loadavg().map((v) => Math.round(v * 100) / 100);
  report.finished = new Date().toISOString();
  report.targets = evaluateTargets(report, { smoke: SMOKE });
  report.dataOk = report.problems.length === 0;
  mkdirSync(path.dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, JSON.stringify(report, null, 2) + '\n');
  printReport(report);
  log(`Report written to ${path.relative(process.cwd(), reportPath) || reportPath}`);
  if (!report.dataOk) return 1;
  if (STRICT && report.targets.some((t) => t.pass === false)) return 2;
  return 0;
}

function ingestRow(step, result, resources) {
  const seconds = result.durationSeconds || result.wallSeconds;
  const acknowledgedMessages = result.requests2xx * result.messagesPerRequest;
  return {
    phase: step.phase,
    kind: step.kind,
    main: Boolean(step.main),
    connections: step.load.connections,
    durationSeconds: seconds,
    requests: result.produced,
    messagesPerRequest: result.messagesPerRequest,
    messages: result.produced * result.messagesPerRequest,
    // Throughput counts what the server acknowledged (2xx) within the timed window.
    messagesPerSecond: Math.round(acknowledgedMessages / seconds),
    requestsPerSecond: Math.round(result.requests2xx / seconds),
    latency: result.latency,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts: result.statusCounts,
    redelivered: result.redelivered,
    redeliveryFailed: result.redeliveryFailed.length,
    resources,
  };
}

/**
 * Through the API: /api/stats must count exactly the produced messages, and a cursor walk
 * over /api/messages must see each produced wamid once and nothing else. SQL cross-checks
 * the same (and contacts/conversations: one per customer).
 */
async function verifyIngest({ api, pool, workspaceId, produced, contacts }) {
  const expected = [...produced.values()].reduce((a, b) => a + b, 0);
  const problems = [];
  const seen = new Map([...produced].map(([phase, n]) => [phase, new Uint8Array(n)]));
  let apiSeen = 0;
  let duplicates = 0;
  let unexpected = 0;
  let pages = 0;
  const pageMs = [];
  let beforeId = null;
  const maxPages = Math.ceil(expected / 100) + 10;
  let walk = 'cursor';
  for (; pages < maxPages; pages++) {
    const res = await api.request(
      'GET',
      `/api/messages?limit=100${beforeId ? `&before_id=${beforeId}` : ''}`,
    );
    if (res.status !== 200) {
      walk = `failed (${res.status})`;
      problems.push(
        `GET /api/messages answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`,
      );
      break;
    }
    pageMs.push(res.ms);
    for (const m of res.body.messages) {
      if (m.is_outbound) continue;
      apiSeen++;
      const parsed = parseInboundWamid(tag, m.wa_message_id);
      const bits = parsed && seen.get(parsed.phase);
      if (!bits || parsed.idx >= bits.length) {
        unexpected++;
        continue;
      }
      if (bits[parsed.idx]++ > 0) duplicates++;
    }
    const next = res.body.next_before_id;
    if (next === null || next === undefined) break;
    if (beforeId !== null && next >= beforeId) {
      problems.push(`the cursor did not move forward (before_id ${beforeId} → ${next})`);
      break;
    }
    beforeId = next;
  }
  let missing = 0;
  for (const bits of seen.values()) for (const b of bits) if (b === 0) missing++;
  if (missing) problems.push(`${missing} produced messages are missing from /api/messages`);
  if (duplicates) problems.push(`${duplicates} messages appear twice in /api/messages`);
  if (unexpected) problems.push(`${unexpected} inbound messages in /api/messages were never sent`);

  const stats = await api.json('GET', '/api/stats');
  const distinctContacts = Math.min(contacts, Math.max(0, ...produced.values()));
  if (stats.inbound_messages !== expected)
    problems.push(`/api/stats inbound_messages ${stats.inbound_messages} ≠ ${expected}`);
  if (stats.total_contacts !== distinctContacts) {
    problems.push(
      `/api/stats total_contacts ${stats.total_contacts} ≠ ${distinctContacts} customers`,
    );
  }
  if (stats.total_conversations !== distinctContacts) {
    problems.push(
      `/api/stats total_conversations ${stats.total_conversations} ≠ ${distinctContacts} (one open per customer)`,
    );
  }

  const { rows } = await pool.query(
    `SELECT count(*)::int AS rows, count(DISTINCT wa_message_id)::int AS distinct_wamids,
            (SELECT count(*)::int FROM contacts WHERE workspace_id = $1) AS contacts,
            (SELECT count(DISTINCT wa_id)::int FROM contacts WHERE workspace_id = $1) AS distinct_contacts,
            (SELECT count(*)::int FROM conversations WHERE workspace_id = $1 AND is_active) AS open_conversations
       FROM messages WHERE workspace_id = $1 AND NOT is_outbound`,
    [workspaceId],
  );
  const sql = rows[0];
  if (sql.rows !== expected) problems.push(`SQL: ${sql.rows} inbound rows ≠ ${expected}`);
  if (sql.rows !== sql.distinct_wamids)
    problems.push(`SQL: ${sql.rows - sql.distinct_wamids} duplicate wamids`);
  if (sql.contacts !== sql.distinct_contacts)
    problems.push(`SQL: ${sql.contacts - sql.distinct_contacts} duplicate contacts`);
  return {
    expected,
    perPhase: Object.fromEntries(produced),
    api: {
      walk,
      pages: pages + 1,
      seen: apiSeen,
      missing,
      duplicates,
      unexpected,
      pageLatency: summarize(pageMs),
      stats,
    },
    sql: {
      rows: sql.rows,
      distinctWamids: sql.distinct_wamids,
      contacts: sql.contacts,
      openConversations: sql.open_conversations,
    },
    problems,
    ok: problems.length === 0,
  };
}

/**
 * Sequential requests (one at a time on one keep-alive connection) per endpoint:
 * `warmups` untimed requests, then `samples` timed ones (fewer when the endpoint is slow: each
 * endpoint gets at most `budgetSeconds`).
 */
async function measureReads({ api, pool, workspaceId, tag, settings, loadSeconds }) {
  const { rows: totals } = await pool.query(
    `SELECT count(*)::int AS messages, count(DISTINCT contact_id)::int AS contacts
       FROM messages WHERE workspace_id = $1`,
    [workspaceId],
  );
  const deepSkip = Math.min(settings.deepSkip, Math.floor(totals[0].messages / 2));
  // The cursor equivalent of the skip page: the id just above the (deepSkip+1)-th newest.
  const { rows: cursorRows } = await pool.query(
    `SELECT id FROM messages WHERE workspace_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1`,
    [workspaceId, Math.max(0, deepSkip - 1)],
  );
  const deepCursor = cursorRows[0]?.id ?? 1;
  const { rows: busy } = await pool.query(
    `SELECT conversation_id AS id FROM messages WHERE workspace_id = $1 AND wa_message_id LIKE $2 || '%'
      GROUP BY conversation_id ORDER BY count(*) DESC LIMIT 1`,
    [workspaceId, `wamid.BENCHREAD${tag}.`],
  );
  const searches = ['gomes', '447100005', 'Marta Gomes 1'];
  const endpoints = [
    // The floor every authenticated read pays (token check, user and membership lookups,
    // rate limit): what is left of the others is the endpoint's own work.
    { name: '/api/auth/me (floor)', path: () => '/api/auth/me' },
    { name: '/api/messages (first page)', path: () => '/api/messages', list: 'messages' },
    {
      name: `/api/messages?skip=${deepSkip}`,
      path: () => `/api/messages?skip=${deepSkip}&limit=100`,
      list: 'messages',
      deep: true,
    },
    {
      name: '/api/messages?before_id (deep)',
      path: () => `/api/messages?before_id=${deepCursor}&limit=100`,
      list: 'messages',
    },
    { name: '/api/conversations', path: () => '/api/conversations', list: 'conversations' },
    {
      name: '/api/conversations?status=open',
      path: () => '/api/conversations?status=open',
      list: 'conversations',
    },
    {
      name: '/api/conversations/:id/messages',
      path: () => `/api/conversations/${busy[0]?.id ?? 1}/messages`,
      list: 'messages',
    },
    {
      name: '/api/contacts?q=',
      path: (i) => `/api/contacts?q=${encodeURIComponent(searches[i % searches.length])}`,
      list: 'contacts',
    },
    { name: '/api/stats', path: () => '/api/stats' },
    { name: '/api/stats/daily', path: () => '/api/stats/daily' },
  ];
  const results = [];
  for (const e of endpoints) {
    const gcBefore = await serverGc(api);
    const samples = [];
    let problem = null;
    let status = null;
    const deadline = Date.now() + settings.budgetSeconds * 1000;
    const warmups = e.deep ? 1 : settings.warmups;
    const wanted = e.deep ? Math.min(settings.samples, 30) : settings.samples;
    for (let i = 0; i < warmups + wanted && Date.now() < deadline; i++) {
      const res = await api.request('GET', e.path(i));
      status = res.status;
      if (res.status !== 200) {
        problem = `answered ${res.status}: ${JSON.stringify(res.body).slice(0, 160)}`;
        break;
      }
      if (e.list && !Array.isArray(res.body?.[e.list])) {
        problem = `no "${e.list}" array in the answer`;
        break;
      }
      if (e.list && res.body[e.list].length === 0 && e.list !== 'contacts') {
        problem = 'an empty page';
        break;
      }
      if (i >= warmups) samples.push(res.ms);
    }
    const gc = diffGc(gcBefore, await serverGc(api));
    results.push({ name: e.name, status, ...summarize(samples), gc, problem });
  }
  return {
    method: 'sequential requests on one keep-alive connection from the bench process',
    workspaceMessages: totals[0].messages,
    workspaceContacts: totals[0].contacts,
    loadSeconds: Math.round(loadSeconds * 10) / 10,
    deepSkip,
    deepCursor,
    endpoints: results,
  };
}

/**
 * The server's garbage collections so far, from its own Prometheus metrics (prom-client's
 * default `nodejs_gc_duration_seconds`): {kind: {count, ms}}. A read's p99 sits where the
 * requests that met a collection are, so the reads report how many there were.
 */
async function serverGc(api) {
  const res = await api.request('GET', '/api/metrics');
  const gc = {};
  if (res.status !== 200 || typeof res.body !== 'string') return gc;
  const line = /^nolose_nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} ([\d.e+-]+)$/gm;
  for (const [, field, kind, value] of res.body.matchAll(line)) {
    gc[kind] ??= { count: 0, ms: 0 };
    if (field === 'count') gc[kind].count = Number(value);
    else gc[kind].ms = Number(value) * 1000;
  }
  return gc;
}

function diffGc(before, after) {
  const out = {};
  for (const [kind, { count, ms }] of Object.entries(after)) {
    out[kind] = {
      count: count - (before[kind]?.count ?? 0),
      ms: Math.round((ms - (before[kind]?.ms ?? 0)) * 10) / 10,
    };
  }
  return out;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  log(`FAILED: ${err?.stack ?? err}`);
  if (report) {
    try {
      report.error = String(err?.stack ?? err);
      mkdirSync(path.dirname(reportPath), { recursive: true });
      writeFileSync(reportPath, JSON.stringify(report, null, 2) + '\n');
      log(`Partial report written to ${reportPath}`);
    } catch {
      // the failure above is what matters
    }
  }
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
