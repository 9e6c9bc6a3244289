// The bench's verdicts (issue 7's targets) and the table printed at the end of a run.

const TARGETS = {
  ingestRate: 2000,
  ingestSustainedSeconds: 60,
  ingestP99Ms: 50,
  ceilingFraction: 0.7,
  readP99Ms: 20,
  rssMb: 300,
};

/**
 * One row per target: {name, value, goal, pass}. `pass` is null when the figure was not
 * measured (a phase left out with BENCH_ONLY) or, in smoke mode, for timing targets.
 */
export function evaluateTargets(report, { smoke }) {
  const timed = (pass) => (smoke ? null : pass);
  const rows = [];
  const main = report.ingest.find((r) => r.main);
  if (main) {
    const sustained = main.durationSeconds >= TARGETS.ingestSustainedSeconds - 1;
    rows.push({
      name: `Ingest, main phase (${main.connections} conn.)`,
      value: `${fmt(main.messagesPerSecond)} msg/s over ${main.durationSeconds} s`,
      goal: `≥ ${fmt(TARGETS.ingestRate)} msg/s for ${TARGETS.ingestSustainedSeconds} s`,
      pass: timed(main.messagesPerSecond >= TARGETS.ingestRate && sustained),
    });
    rows.push({
      name: 'Ingest p99 latency, main phase',
      value: `${main.latency.p99} ms`,
      goal: `≤ ${TARGETS.ingestP99Ms} ms`,
      pass: timed(main.latency.p99 !== null && main.latency.p99 <= TARGETS.ingestP99Ms),
    });
  }
  const loadPhases = [...report.ingest, ...report.statuses];
  if (loadPhases.length > 0) {
    const failures = loadPhases.reduce((n, r) => n + r.non2xx + r.errors, 0);
    rows.push({
      name: 'Webhook errors (non-2xx + socket errors)',
      value: fmt(failures),
      goal: '0',
      pass: failures === 0,
    });
  }
  if (report.verification) {
    const v = report.verification;
    rows.push({
      name: 'Messages lost / duplicated / unexpected',
      value: `${v.api.missing} / ${v.api.duplicates} / ${v.api.unexpected} of ${fmt(v.expected)}`,
      goal: '0 / 0 / 0',
      pass: v.ok,
    });
  }
  for (const s of report.statuses) {
    rows.push({
      name: `Statuses applied exactly (${s.phase})`,
      value: s.verification.ok
        ? `${fmt(s.verification.eventsSent)} events, all applied`
        : 'mismatch',
      goal: 'every status applied, none twice',
      pass: s.verification.ok,
    });
  }
  if (main && report.ceiling && report.ceiling.messagesPerSecond > 0) {
    const fraction = main.messagesPerSecond / report.ceiling.messagesPerSecond;
    rows.push({
      name: 'Ingest vs database ceiling',
      value: `${Math.round(fraction * 100)} % (${fmt(main.messagesPerSecond)} / ${fmt(report.ceiling.messagesPerSecond)})`,
      goal: `≥ ${TARGETS.ceilingFraction * 100} %`,
      pass: timed(fraction >= TARGETS.ceilingFraction),
    });
  }
  if (report.reads) {
    const judged = report.reads.endpoints.filter(
      (e) => !e.name.includes('skip=') && !e.name.includes('(floor)'),
    );
    const worst = judged.reduce(
      (w, e) => (e.p99 !== null && (w === null || e.p99 > w.p99) ? e : w),
      null,
    );
    const broken = judged.filter((e) => e.problem);
    rows.push({
      name: `Reads p99 at ${fmt(report.reads.workspaceMessages)} msgs (worst)`,
      value: worst ? `${worst.p99} ms (${worst.name})` : 'n/a',
      goal: `≤ ${TARGETS.readP99Ms} ms each (deep pages by cursor)`,
      pass:
        broken.length > 0
          ? false
          : timed(judged.every((e) => e.p99 !== null && e.p99 <= TARGETS.readP99Ms)),
    });
  }
  const rss = Math.max(...report.ingest.map((r) => r.resources.server?.rssMaxMb ?? 0), 0);
  if (report.ingest.length > 0) {
    rows.push({
      name: 'Server RSS during ingest (max)',
      value: `${rss} MB`,
      goal: `≤ ${TARGETS.rssMb} MB`,
      pass: timed(rss <= TARGETS.rssMb),
    });
  }
  return rows;
}

function fmt(n) {
  return n === null || n === undefined
    ? '-'
    : typeof n === 'number'
      ? n.toLocaleString('en-US')
      : String(n);
}

function table(headers, rows, align) {
  const cells = [headers, ...rows].map((r) => r.map((c) => fmt(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) =>
    r
      .map((c, i) => (align?.[i] === 'l' ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [
    line(cells[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

const cpu = (r, name) =>
  (r.resources?.[name]?.cpuAvgPct ?? null) === null
    ? '-'
    : `${Math.round(r.resources[name].cpuAvgPct)}%`;

export function printReport(report) {
  const out = [];
  const m = report.machine;
  out.push('');
  out.push(`No Lose bench — ${report.date} — ${report.mode} run`);
  out.push(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.postgres}; ` +
      `load average ${m.loadAverageAtStart.join(' ')} at start, ${m.loadAverageAtEnd?.join(' ')} at end`,
  );
  if (report.ingest.length > 0 || report.statuses.length > 0) {
    out.push('');
    out.push('Webhooks (POST /api/webhook, autocannon in a separate process; latency per request)');
    const rows = [...report.ingest, ...report.statuses].map((r) => [
      r.kind === 'status'
        ? 'statuses'
        : r.kind === 'batch'
          ? `batch ×${r.messagesPerRequest}`
          : 'single',
      r.connections,
      `${r.durationSeconds}s${r.main ? '*' : ''}`,
      r.messagesPerSecond,
      r.requestsPerSecond,
      r.latency.p50,
      r.latency.p99,
      r.non2xx,
      r.errors,
      r.redelivered,
      r.resources.server?.rssMaxMb ?? null,
      cpu(r, 'server'),
      cpu(r, 'postgres'),
      cpu(r, 'loadgen'),
      r.resources.machine?.busyPct === undefined || r.resources.machine?.busyPct === null
        ? '-'
        : `${Math.round(r.resources.machine.busyPct)}%`,
      r.groupCommit?.webhooksPerTransaction ?? '-',
      r.groupCommit?.transactionMs ?? '-',
      r.groupCommit?.queueMs ?? '-',
      r.groupCommit?.serverMs ?? '-',
    ]);
    out.push(
      table(
        [
          'phase',
          'conn',
          'time',
          'msg/s',
          'req/s',
          'p50 ms',
          'p99 ms',
          'non2xx',
          'errors',
          'redeliv',
          'RSS MB',
          'CPU srv',
          'CPU pg',
          'CPU gen',
          'machine',
          'hooks/txn',
          'txn ms',
          'wait ms',
          'srv ms',
        ],
        rows,
        ['l'],
      ),
    );
    out.push(
      '  * main sustained phase. msg/s = acknowledged messages / phase time (statuses: events/s).',
    );
    out.push(
      '  CPU: average over the phase, 100% = one core; machine = share of all cores busy (anything running).',
    );
    out.push(
      "  Group commit (the server's /api/metrics): hooks/txn = webhooks per transaction, txn ms = a transaction's time, wait ms = a webhook's wait for one,",
    );
    out.push('  srv ms = a webhook inside the server, metrics middleware to response end (means).');
  }
  if (report.verification) {
    const v = report.verification;
    out.push('');
    out.push(
      `Stored: ${fmt(v.expected)} messages sent; API cursor walk saw ${fmt(v.api.seen)} ` +
        `(${v.api.missing} missing, ${v.api.duplicates} duplicates, ${v.api.unexpected} unexpected), ` +
        `/api/stats inbound ${fmt(v.api.stats.inbound_messages)}; SQL ${fmt(v.sql.rows)} rows, ${fmt(v.sql.distinctWamids)} distinct wamids. ` +
        (v.ok ? 'OK' : `PROBLEMS: ${v.problems.join('; ')}`),
    );
  }
  for (const s of report.statuses) {
    const e = s.verification;
    out.push(
      `Statuses ${s.phase}: ${fmt(e.eventsSent)} events for ${fmt(e.outbound)} outbound messages; final ${JSON.stringify(e.actualFinal)}, ` +
        `expected ${JSON.stringify(e.expectedFinal)}; status events stored ${fmt(e.statusEventsStored)} / ${fmt(e.statusEventsExpected)}. ` +
        (e.ok ? 'OK' : 'MISMATCH'),
    );
  }
  if (report.ceiling) {
    out.push('');
    out.push(
      "Database ceiling: the server's SQL for single-message webhooks straight to PostgreSQL (node pg, sent as the " +
        'server sends it; latency per transaction). Only "as the server" counts for the target; the others are what-ifs.',
    );
    out.push(
      table(
        [
          'variant',
          'conn',
          'msgs/txn',
          'stmts/msg',
          'msg/s',
          'p50 ms',
          'p99 ms',
          'errors',
          'CPU pg',
          'CPU gen',
        ],
        report.ceiling.variants.map((c) => [
          c.variant === 'server'
            ? 'as the server'
            : c.variant === 'no-notify'
              ? 'without pg_notify'
              : c.variant,
          c.connections,
          c.messagesPerTransaction,
          c.statementsPerMessage,
          c.messagesPerSecond,
          c.latency.p50,
          c.latency.p99,
          c.errors,
          cpu(c, 'postgres'),
          cpu(c, 'loadgen'),
        ]),
        ['l'],
      ),
    );
  }
  if (report.reads) {
    const r = report.reads;
    out.push('');
    out.push(
      `Reads at scale: ${fmt(r.workspaceMessages)} messages, ${fmt(r.workspaceContacts)} contacts with messages in the workspace ` +
        `(dataset loaded by SQL in ${r.loadSeconds} s); ${r.method}`,
    );
    out.push(
      table(
        ['endpoint', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'GC minor', 'GC major', 'note'],
        r.endpoints.map((e) => [
          e.name,
          e.n,
          e.p50,
          e.p90,
          e.p99,
          e.max,
          gcCell(e.gc?.minor),
          gcCell(e.gc?.major),
          e.problem ??
            (e.name.includes('skip=')
              ? 'offset paging, expected slow'
              : e.name.includes('(floor)')
                ? 'auth + rate limit only; not a target'
                : ''),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
    );
    out.push(
      "GC: the server's collections while an endpoint was timed (count / ms paused in total), from its /api/metrics.",
    );
  }
  out.push('');
  out.push('Targets (issue 7)');
  out.push(
    table(
      ['target', 'measured', 'goal', 'result'],
      report.targets.map((t) => [
        t.name,
        t.value,
        t.goal,
        t.pass === null ? 'not checked' : t.pass ? 'PASS' : 'MISS',
      ]),
      ['l', 'l', 'l', 'l'],
    ),
  );
  if (report.webhookOutcomes) {
    out.push(
      `Webhook events kept by the server, by outcome: ${JSON.stringify(report.webhookOutcomes)}`,
    );
  }
  if (report.serverErrors?.count > 0) {
    out.push(
      `The server logged ${report.serverErrors.count} error lines; first: ${report.serverErrors.first[0]}`,
    );
  }
  if (report.problems.length > 0) {
    out.push('');
    out.push('Data problems:');
    for (const p of report.problems) out.push(`  - ${p}`);
  }
  out.push('');
  process.stdout.write(out.join('\n') + '\n');
}

/** "count / ms" of one kind of garbage collection, or "-" when the server did not say. */
function gcCell(gc) {
  return gc ? `${gc.count} / ${gc.ms.toFixed(0)}` : '-';
}
