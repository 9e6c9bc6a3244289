import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { TEST_SECRET } from '../support/app.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  signedWebhook,
  webhookEnv,
} from '../support/meta.js';

/** One inbound message per webhook, so "acknowledged" and "stored" compare by wamid. */
export function oneMessageWebhook(text = 'burst'): {
  wamid: string;
  body: string;
  headers: Record<string, string>;
} {
  const from = customerWaId();
  const message = metaMessage(from, META_TYPES.text(text));
  const { body, headers } = signedWebhook(inboundNotification(from, 'Burst', message));
  return { wamid: message.id as string, body, headers };
}

export interface BurstResult {
  acknowledged: Set<string>;
  /** Answered something else, or the connection broke: Meta would retry these. */
  refused: Map<string, string>;
}

/**
 * Posts `count` one-message webhooks with `concurrency` in flight; `post` answers the HTTP
 * status or throws on a broken connection. `onProgress` runs after each answer (to inject a
 * fault mid-burst).
 */
export async function burst(
  count: number,
  concurrency: number,
  post: (w: ReturnType<typeof oneMessageWebhook>) => Promise<number>,
  onProgress: (done: number) => void | Promise<void> = () => undefined,
): Promise<BurstResult & { all: ReturnType<typeof oneMessageWebhook>[] }> {
  const all = Array.from({ length: count }, (_, i) => oneMessageWebhook(`burst message ${i}`));
  const acknowledged = new Set<string>();
  const refused = new Map<string, string>();
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < all.length) {
      const w = all[next++];
      try {
        const status = await post(w);
        if (status === 200) acknowledged.add(w.wamid);
        else refused.set(w.wamid, String(status));
      } catch (err) {
        refused.set(w.wamid, (err as Error).message);
      }
      done += 1;
      await onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { all, acknowledged, refused };
}

export async function storedWamids(
  databaseUrl: string,
  wamids: string[],
): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ wa_message_id: string; n: string }>(
      `SELECT wa_message_id, count(*) AS n FROM messages WHERE wa_message_id = ANY($1) GROUP BY 1`,
      [wamids],
    );
    return new Map(rows.map((r) => [r.wa_message_id, Number(r.n)]));
  } finally {
    await client.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The compiled server (dist/server/main.js) as a child process: what production runs. */
export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  port?: number,
): Promise<ServerProcess> {
  const listenPort = port ?? (await freePort());
  const child = spawn(process.execPath, [path.resolve('dist/server/main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(listenPort),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SECRET_KEY: TEST_SECRET,
      BCRYPT_ROUNDS: '4',
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      DB_POOL_SIZE: '10',
      ...webhookEnv(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 30_000;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`The server exited while starting:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not start within 30 s:\n${out}`);
    }
    await sleep(100);
  }
  return { url, port: listenPort, child, output: () => out, exited };
}

export async function postTo(
  url: string,
  w: { body: string; headers: Record<string, string> },
): Promise<number> {
  const res = await fetch(`${url}/api/webhook`, {
    method: 'POST',
    headers: w.headers,
    body: w.body,
    signal: AbortSignal.timeout(15_000),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Registers the first user: the first workspace owns the WA_PHONE_NUMBER_ID number. */
export async function registerOwner(url: string): Promise<{ token: string }> {
  const email = `owner-${Date.now()}-${Math.random().toString(16).slice(2)}@example.com`;
  const password = 'securepassword';
  const reg = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password, name: 'Owner' }),
  });
  if (!reg.ok) throw new Error(`register: ${reg.status} ${await reg.text()}`);
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { access_token } = (await login.json()) as { access_token: string };
  return { token: access_token };
}

/** Fails loudly, with the server's output, if a child is still around at the end. */
export async function stopServerProcess(s: ServerProcess | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGKILL');
  await s.exited;
}
