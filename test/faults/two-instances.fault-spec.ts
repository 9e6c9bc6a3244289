import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, dropTestDatabase } from '../support/db.js';
import { SseClient } from '../support/sse.js';
import {
  burst,
  postTo,
  registerOwner,
  startServerProcess,
  stopServerProcess,
  storedWamids,
  type ServerProcess,
} from './support.js';

// Two server processes on one database, as behind a load balancer. Meta delivers every
// webhook to both (a retry landing on the other instance): each message is stored once,
// and operators connected to either instance see every new message live, once.

let databaseUrl: string;
let a: ServerProcess | undefined;
let b: ServerProcess | undefined;
const clients: SseClient[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  [a, b] = await Promise.all([startServerProcess(databaseUrl), startServerProcess(databaseUrl)]);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([stopServerProcess(a), stopServerProcess(b)]);
  await dropTestDatabase(databaseUrl);
});

describe('fault: two instances on one database', () => {
  it('stores webhooks posted to both once, and streams them to operators on either', async () => {
    const A = a as ServerProcess;
    const B = b as ServerProcess;
    const { token } = await registerOwner(A.url);
    const onA = await SseClient.connect(`${A.url}/api/events?access_token=${token}`);
    const onB = await SseClient.connect(`${B.url}/api/events?access_token=${token}`);
    clients.push(onA, onB);
    expect([onA.status, onB.status]).toEqual([200, 200]);

    const COUNT = 150;
    const statuses: number[] = [];
    const result = await burst(COUNT, 8, async (w) => {
      // The same delivery to both instances at once.
      const [sa, sb] = await Promise.all([postTo(A.url, w), postTo(B.url, w)]);
      statuses.push(sa, sb);
      return sa === 200 && sb === 200 ? 200 : Math.max(sa, sb);
    });
    const wamids = result.all.map((w) => w.wamid);
    const stored = await storedWamids(databaseUrl, wamids);

    const createdFor = (client: SseClient, id: string): number =>
      client.events.filter((e) => e.event === 'message.created' && e.data.includes(id)).length;
    const allSeen = (client: SseClient) => () => wamids.every((id) => createdFor(client, id) >= 1);
    await onA.waitFor(allSeen(onA), 20_000, 'every message on instance A');
    await onB.waitFor(allSeen(onB), 20_000, 'every message on instance B');
    const dupA = wamids.filter((id) => createdFor(onA, id) > 1).length;
    const dupB = wamids.filter((id) => createdFor(onB, id) > 1).length;
    console.log(
      `[fault:two-instances] webhooks=${COUNT} posts=${statuses.length} answered200=${statuses.filter((s) => s === 200).length} ` +
        `acknowledged(both)=${result.acknowledged.size} stored=${stored.size} ` +
        `liveOnA=${wamids.filter((id) => createdFor(onA, id) === 1).length} liveOnB=${wamids.filter((id) => createdFor(onB, id) === 1).length} ` +
        `duplicateEvents A=${dupA} B=${dupB}`,
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(stored.size).toBe(COUNT);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    expect(dupA).toBe(0);
    expect(dupB).toBe(0);
  });
});
