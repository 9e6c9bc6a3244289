// The server's group-commit histograms (GET /api/metrics), read before and after a phase:
// how many webhooks shared a transaction, how long a transaction took, how long a webhook
// waited for one, and how long the server took over a webhook from its metrics middleware
// to the response. Set against the latency the load generator sees, the rest is time spent
// before the request reached the middleware (socket, parsing, the body) or in the kernel.

const SERIES = {
  groups: 'nolose_webhook_commit_group_size',
  commit: 'nolose_webhook_commit_seconds',
  queue: 'nolose_webhook_queue_seconds',
  // Answered webhooks, timed from the server's metrics middleware to the response's end.
  served: 'nolose_http_request_duration_seconds',
};
const LABELS = { served: '{method="POST",route="/api/webhook",status="200"}' };

/** {groups: {sum, count}, commit: {…}, queue: {…}} from the text exposition format. */
export async function readGroupMetrics(api) {
  const res = await api.request('GET', '/api/metrics');
  if (res.status !== 200 || typeof res.body !== 'string') return null;
  const values = {};
  for (const [key, name] of Object.entries(SERIES)) {
    const read = (suffix) => {
      const line = res.body
        .split('\n')
        .find((l) => l.startsWith(`${name}_${suffix}${LABELS[key] ?? ''} `));
      return line ? Number(line.split(' ')[1]) : 0;
    };
    values[key] = { sum: read('sum'), count: read('count') };
  }
  return values;
}

const round = (n, digits) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Averages over the phase between two readings; null where nothing was observed. */
export function groupMetricsDelta(before, after) {
  if (!before || !after) return null;
  const mean = (key, scale, digits) => {
    const count = after[key].count - before[key].count;
    return count > 0 ? round(((after[key].sum - before[key].sum) / count) * scale, digits) : null;
  };
  return {
    transactions: after.groups.count - before.groups.count,
    webhooksPerTransaction: mean('groups', 1, 1),
    transactionMs: mean('commit', 1000, 2),
    queueMs: mean('queue', 1000, 2),
    serverMs: mean('served', 1000, 2),
  };
}
