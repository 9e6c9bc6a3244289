import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMetaEmulator, type MetaEmulator } from '../../emulator/meta-emulator.js';
import { createTestDatabase, dropTestDatabase } from '../support/db.js';
import { TEST_APP_SECRET } from '../support/meta.js';
import {
  burst,
  oneMessageWebhook,
  postTo,
  registerOwner,
  sleep,
  startServerProcess,
  stopServerProcess,
  storedWamids,
  type ServerProcess,
} from './support.js';

// SIGTERM while webhooks are in flight and sends are running against a slow Graph API:
// the process answers what it accepted, finishes running sends (recording their outcome),
// and exits 0. Nothing is lost or sent twice once another process picks the queue up.

let databaseUrl: string;
let meta: MetaEmulator;
let server: ServerProcess | undefined;

const textOf = (s: { request: Record<string, unknown> }): string =>
  (s.request.text as { body?: string } | undefined)?.body ?? '';

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  meta = await startMetaEmulator({
    seed: 3,
    appSecret: TEST_APP_SECRET,
    statuses: { enabled: false },
  });
});
afterAll(async () => {
  await stopServerProcess(server);
  await meta.close();
  await dropTestDatabase(databaseUrl);
});

const serverEnv = (): Record<string, string> => ({
  ...meta.appEnv(),
  QUEUE_RETRY_BASE_MS: '50',
  QUEUE_POLL_INTERVAL_MS: '100',
});

describe('fault: graceful shutdown (SIGTERM)', () => {
  it('finishes in-flight webhooks and running sends, then exits 0', async () => {
    server = await startServerProcess(databaseUrl, serverEnv());
    const { token } = await registerOwner(server.url);
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const first = oneMessageWebhook('hello');
    expect(await postTo(server.url, first)).toBe(200);
    const list = (await (
      await fetch(`${server.url}/api/conversations`, { headers: auth })
    ).json()) as {
      conversations: { id: number }[];
    };
    const conversationId = list.conversations[0].id;

    // Slow Graph: sends are running when SIGTERM arrives.
    meta.configure({ latencyMs: 700 });
    const SENDS = 8;
    const texts = Array.from({ length: SENDS }, (_, i) => `sent around shutdown #${i}`);
    for (const text of texts) {
      const res = await fetch(`${server.url}/api/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ text }),
      });
      expect(res.status).toBe(202);
    }
    await sleep(300); // the worker has claimed them; Graph has not answered yet

    const target = server;
    let signalled = false;
    const result = await burst(
      200,
      8,
      (w) => postTo(target.url, w),
      (done) => {
        if (done === 40 && !signalled) {
          signalled = true;
          target.child.kill('SIGTERM');
        }
      },
    );
    const exit = await target.exited;
    expect(exit).toEqual({ code: 0, signal: null });

    const acknowledged = [...result.acknowledged];
    const stored = await storedWamids(
      databaseUrl,
      result.all.map((w) => w.wamid),
    );
    const refusals = [...result.refused.values()];
    const sentBeforeRestart = meta.sent().filter((s) => texts.includes(textOf(s))).length;
    const jobs = await (async () => {
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        return (
          await c.query<{ status: string; n: string }>(
            `SELECT status, count(*) AS n FROM jobs WHERE type = 'send_message' GROUP BY status`,
          )
        ).rows;
      } finally {
        await c.end();
      }
    })();
    console.log(
      `[fault:sigterm] exit=${JSON.stringify(exit)} webhooks posted=200 acknowledged=${acknowledged.length} ` +
        `refused=${result.refused.size} stored=${stored.size}; sends queued=${SENDS} ` +
        `sentBeforeExit=${sentBeforeRestart} jobsAfterExit=${JSON.stringify(jobs)}`,
    );
    for (const id of acknowledged) expect(stored.get(id)).toBe(1);
    // After SIGTERM new connections are refused; no accepted request got a 5xx.
    for (const r of refusals) expect(r).not.toMatch(/^5/);
    // Running sends finished and were recorded: no job left claimed by the dead process.
    expect(jobs.find((j) => j.status === 'running')).toBeUndefined();
    expect(sentBeforeRestart).toBeGreaterThan(0);

    // Another process takes over: everything goes out, once.
    meta.configure({ latencyMs: 0 });
    server = await startServerProcess(databaseUrl, serverEnv());
    const deadline = Date.now() + 30_000;
    while (
      meta.sent().filter((s) => texts.includes(textOf(s))).length < SENDS &&
      Date.now() < deadline
    ) {
      await sleep(100);
    }
    await sleep(500);
    const sent = meta.sent().filter((s) => texts.includes(textOf(s)));
    console.log(
      `[fault:sigterm] after restart: sent=${sent.length}/${SENDS} distinct=${new Set(sent.map(textOf)).size}`,
    );
    expect(sent).toHaveLength(SENDS);
    expect(new Set(sent.map(textOf)).size).toBe(SENDS);
  });
});
