import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './app.js';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Makes the app listen on a free local port (SSE needs a real socket) and returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const server = t.app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * A server-sent events client on Node's fetch with a streaming reader (supertest buffers
 * whole responses, so it cannot read a stream that never ends).
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly controller: AbortController,
    private readonly body: ReadableStream<Uint8Array> | null,
  ) {}

  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const res = await fetch(url, {
      headers: { Accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    const client = new SseClient(res.status, res.headers, controller, res.body);
    if (res.ok) void client.read();
    return client;
  }

  /** The body of a non-200 answer (the JSON error). */
  async json(): Promise<unknown> {
    return this.body ? new Response(this.body).json() : undefined;
  }

  /** Resolves once `predicate` holds for the events received so far. */
  async waitFor(
    predicate: (events: SseEvent[]) => boolean,
    timeoutMs = 5000,
    what = 'events',
  ): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (this.ended) {
        throw new Error(
          `stream ended while waiting for ${what}; got ${JSON.stringify(this.events)}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.events)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events;
  }

  waitForCount(n: number, timeoutMs?: number): Promise<SseEvent[]> {
    return this.waitFor((e) => e.length >= n, timeoutMs, `${n} event(s)`);
  }

  /** Resolves when the server ends the stream. */
  async waitForEnd(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.controller.abort();
  }

  private async read(): Promise<void> {
    if (!this.body) return;
    const decoder = new TextDecoder();
    const reader = this.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        this.parse();
      }
    } catch {
      // Aborted by close(), or the server went away: both just end the stream.
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private parse(): void {
    let cut: number;
    while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const event: SseEvent = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments.push(line.slice(1).trim());
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) {
        event.data = data.join('\n');
        this.events.push(event);
      }
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
