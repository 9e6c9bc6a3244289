import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, dropTestDatabase } from '../support/db.js';
import {
  burst,
  postTo,
  registerOwner,
  sleep,
  startServerProcess,
  stopServerProcess,
  storedWamids,
  type ServerProcess,
} from './support.js';

// The compiled server runs as a child process and is SIGKILLed in the middle of a webhook
// burst (no shutdown hooks, requests cut mid-flight), then started again on the same
// database. Property: every webhook answered 200 is stored, once.

let databaseUrl: string;
let server: ServerProcess | undefined;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
});
afterAll(async () => {
  await stopServerProcess(server);
  await dropTestDatabase(databaseUrl);
});

describe('fault: the server is SIGKILLed during a webhook burst', () => {
  it('stores every acknowledged webhook after the restart; retries store the rest once', async () => {
    server = await startServerProcess(databaseUrl);
    await registerOwner(server.url);
    const COUNT = 400;
    let killed: Promise<ServerProcess> | undefined;
    const first = server;
    const result = await burst(
      COUNT,
      8,
      async (w) => {
        await sleep(10);
        return postTo((server as ServerProcess).url, w);
      },
      async (done) => {
        if (done === 150 && !killed) {
          first.child.kill('SIGKILL');
          killed = first.exited.then(() => startServerProcess(databaseUrl, {}, first.port));
          server = await killed;
        }
      },
    );
    await killed;
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const acknowledged = [...result.acknowledged];
    const stored = await storedWamids(
      databaseUrl,
      result.all.map((w) => w.wamid),
    );
    console.log(
      `[fault:sigkill] posted=${COUNT} acknowledged=${acknowledged.length} refused=${result.refused.size} ` +
        `stored=${stored.size} acknowledgedAndStored=${acknowledged.filter((id) => stored.has(id)).length}`,
    );
    expect(result.refused.size).toBeGreaterThan(0);
    for (const id of acknowledged) expect(stored.get(id)).toBe(1);
    for (const n of stored.values()) expect(n).toBe(1);

    // Meta retries whatever was not acknowledged, against the restarted server.
    for (const w of result.all.filter((x) => !result.acknowledged.has(x.wamid))) {
      expect(await postTo(server.url, w)).toBe(200);
    }
    const after = await storedWamids(
      databaseUrl,
      result.all.map((w) => w.wamid),
    );
    console.log(`[fault:sigkill] after Meta's retries: stored=${after.size}/${COUNT}`);
    expect(after.size).toBe(COUNT);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
  });
});
