// The server's group-commit histograms (GET /api/metrics), read before and after a phase:
// how many webhooks shared a transaction, how long a transaction took and how long a
// webhook waited for one. These explain the latency the load generator sees.

const SERIES = {
  groups: 'nolose_webhook_commit_group_size',
  commit: 'nolose_webhook_commit_seconds',
  queue: 'nolose_webhook_queue_seconds',
};

/** {groups: {sum, count}, commit: {…}, queue: {…}} from the text exposition format. */
export async function readGroupMetrics(api) {
  const res = await api.request('GET', '/api/metrics');
  if (res.status !== 200 || typeof res.body !== 'string') return null;
  const values = {};
  for (const [key, name] of Object.entries(SERIES)) {
    const read = (suffix) => {
      const line = res.body.split('\n').find((l) => l.startsWith(`${name}_${suffix} `));
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
  };
}
