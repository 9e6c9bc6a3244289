import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  startMetaEmulator,
  type MetaEmulator,
  type MetaEmulatorOptions,
} from '../../emulator/meta-emulator.js';
import { createTestApp, type TestApp } from './app.js';
import { createUser, type RegisteredUser } from './factories.js';

/**
 * The app under test wired to an in-process Meta emulator both ways: the app's Graph API
 * calls go to the emulator (WA_*), and the emulator's signed webhooks (customer messages,
 * statuses) go to the app, which listens on a free port for them.
 */
export interface WiredApp {
  t: TestApp;
  meta: MetaEmulator;
  /** Owner of the first workspace: the WA_* number is theirs. */
  owner: RegisteredUser;
  close(): Promise<void>;
}

export interface WiredAppOptions {
  emulator?: MetaEmulatorOptions;
  /** Extra app variables (over the emulator's WA_* and the fast queue settings below). */
  env?: Record<string, string>;
  /** Reuse an emulator (restart tests): it is then not closed with the app. */
  meta?: MetaEmulator;
  /** Skip creating the owner (an app restarted on a database that has one). */
  owner?: RegisteredUser;
}

/** Queue settings that keep retries quick in tests. */
export const FAST_QUEUE_ENV = { QUEUE_RETRY_BASE_MS: '50', QUEUE_POLL_INTERVAL_MS: '100' };

export async function startWiredApp(options: WiredAppOptions = {}): Promise<WiredApp> {
  const meta =
    options.meta ??
    (await startMetaEmulator({
      seed: 4,
      statuses: { sentDelayMs: 5, deliveredDelayMs: 10, readDelayMs: 15 },
      ...options.emulator,
    }));
  const t = await createTestApp({ ...meta.appEnv(), ...FAST_QUEUE_ENV, ...options.env });
  await t.app.listen(0, '127.0.0.1');
  const { port } = (t.app.getHttpServer() as Server).address() as AddressInfo;
  meta.configure({ webhook: { url: `http://127.0.0.1:${port}/api/webhook`, retryDelayMs: 20 } });
  const owner = options.owner ?? (await createUser(t, { name: 'Owner' }));
  return {
    t,
    meta,
    owner,
    close: async () => {
      meta.configure({ webhook: { url: null } });
      await t.close();
      if (!options.meta) await meta.close();
    },
  };
}

/**
 * Polls `probe` until it returns something other than undefined/null/false, or fails after
 * `timeoutMs` with the last value seen — tests wait for outcomes, never for fixed times.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    last = await probe();
    if (last !== undefined && last !== null && last !== false) return last as T;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface ConversationBody {
  id: number;
  contact: { wa_id: string };
}

/** A customer writes through the emulator (signed webhook); returns their conversation id. */
export async function customerWrites(
  w: WiredApp,
  from: string,
  text = 'Hello, is my order on its way?',
): Promise<number> {
  const result = await w.meta.sendInbound({ type: 'text', from, name: 'Customer', text });
  if (!result.delivery.ok) {
    throw new Error(`Webhook delivery failed: ${JSON.stringify(result.delivery.attempts)}`);
  }
  return conversationOf(w, from);
}

export async function conversationOf(w: WiredApp, waId: string): Promise<number> {
  const res = await w.t.http
    .get('/api/conversations')
    .query({ q: waId })
    .set(w.owner.auth)
    .expect(200);
  const found = (res.body as { conversations: ConversationBody[] }).conversations.find(
    (c) => c.contact.wa_id === waId,
  );
  if (!found) throw new Error(`No conversation with ${waId}`);
  return found.id;
}

let customers = 0;
/** A distinct customer number per call. */
export const newCustomer = (): string =>
  `3519${String(Date.now() % 1e6).padStart(6, '0')}${String(++customers).padStart(2, '0')}`;
