// Load generator for POST /api/webhook, run as a child process of bench/run.mjs (fork, so
// its CPU is not the server's and is measured apart). It receives one phase over IPC, drives
// it with autocannon, and answers with the figures and the exact set of bodies it produced.
//
// Every body autocannon builds is unique (index i of the phase) and is tracked: 2xx marks it
// acknowledged. What is not acknowledged when the phase ends (cut off by the end of the
// duration, timed out, or answered non-2xx) is redelivered afterwards, as Meta redelivers
// unacknowledged webhooks, until acknowledged (bounded). So the set the server must hold at
// the end is exactly bodies 0..produced-1, which run.mjs then verifies.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { phaseBodies, sign } from './meta-payloads.mjs';
import { Samples } from './percentiles.mjs';

const REDELIVERY_ATTEMPTS = 8;

async function runPhase(job) {
  const bodies = phaseBodies(job.spec);
  let produced = 0;
  // 0 = sent, no answer yet; 1 = acknowledged (2xx); 2 = answered non-2xx.
  let state = new Uint8Array(1 << 16);
  const latencies = new Samples(1 << 16);
  const statusCounts = {};
  const failureSamples = [];

  const build = (i) => {
    const body = bodies.body(i);
    return { body, signature: sign(job.appSecret, body) };
  };

  const request = {
    method: 'POST',
    path: '/api/webhook',
    setupRequest(req, context) {
      const i = produced++;
      if (i >= state.length) {
        const grown = new Uint8Array(state.length * 2);
        grown.set(state);
        state = grown;
      }
      const { body, signature } = build(i);
      // pipelining is 1, so a client's context belongs to its one request in flight.
      context.index = i;
      return {
        ...req,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        body,
      };
    },
    onResponse(status, body, context) {
      const ok = status >= 200 && status < 300;
      state[context.index] = ok ? 1 : 2;
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      if (!ok && failureSamples.length < 5)
        failureSamples.push({ status, body: String(body).slice(0, 300) });
    },
  };

  const options = {
    url: `http://127.0.0.1:${job.port}`,
    connections: job.connections,
    pipelining: 1,
    timeout: job.timeoutSeconds ?? 10,
    requests: [request],
    ...(job.amount ? { amount: job.amount } : { duration: job.durationSeconds }),
  };
  const started = performance.now();
  const instance = autocannon(options);
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const connErrors = [];
  instance.on('reqError', (err) => {
    if (connErrors.length < 5) connErrors.push(String(err?.message ?? err));
  });
  const result = await new Promise((resolve, reject) => {
    instance.once('done', resolve);
    instance.once('error', reject);
  });
  const wallSeconds = (performance.now() - started) / 1000;

  const acked = countState(state, produced, 1);
  const unacked = [];
  for (let i = 0; i < produced; i++) if (state[i] !== 1) unacked.push(i);
  const redelivery = await redeliver(job, unacked, build);

  return {
    produced,
    messagesPerRequest: bodies.messagesPer,
    acked,
    durationSeconds: result.duration,
    wallSeconds,
    requests2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
    failureSamples,
    connErrors,
    latency: latencies.summary(),
    autocannonLatency: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    redelivered: unacked.length,
    redeliveryFailed: redelivery.failed,
    redeliveryAttempts: redelivery.attempts,
  };
}

function countState(state, n, value) {
  let c = 0;
  for (let i = 0; i < n; i++) if (state[i] === value) c++;
  return c;
}

/** Resends each unacknowledged body until a 2xx, with backoff; answers the ones that never got one. */
async function redeliver(job, indices, build) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const failed = [];
  let attempts = 0;
  let next = 0;
  const worker = async () => {
    while (next < indices.length) {
      const i = indices[next++];
      const { body, signature } = build(i);
      let ok = false;
      for (let attempt = 0; attempt < REDELIVERY_ATTEMPTS && !ok; attempt++) {
        if (attempt > 0)
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
        attempts++;
        ok = await post(job.port, agent, body, signature).catch(() => false);
      }
      if (!ok) failed.push(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, indices.length) }, worker));
  agent.destroy();
  return { failed, attempts };
}

function post(port, agent, body, signature) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/webhook',
        agent,
        timeout: 30_000,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-hub-signature-256': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode >= 200 && res.statusCode < 300));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

// The parent going away (Ctrl-C, crash) ends this process too.
process.on('disconnect', () => process.exit(0));
process.on('message', (job) => {
  runPhase(job).then(
    (result) => process.send({ ok: true, result }),
    (err) => process.send({ ok: false, error: String(err?.stack ?? err) }),
  );
});
