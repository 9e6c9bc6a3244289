import { expect } from '@jest/globals';
import type pg from 'pg';

/**
 * What went over one pool connection: each flush to the socket (as latin1 text; several
 * queries when they were written together) and each answer's end.
 */
export type WireEvent = { write: string } | { readyForQuery: true };

type Chunk = { chunk: Buffer | string };

/** A socket's Writable internals: each call is one flush to the kernel (one syscall). */
interface SocketFlushes {
  _write(chunk: Buffer | string, encoding: string, callback: () => void): void;
  _writev(chunks: Chunk[], callback: () => void): void;
}

interface PgConnection {
  stream: SocketFlushes;
  prependListener(event: 'readyForQuery', listener: () => void): void;
  removeListener(event: 'readyForQuery', listener: () => void): void;
}

/**
 * Records what each connection taken from `pool` while `run` works writes and when each of
 * its queries is answered: one log per checkout.
 */
export async function onTheWire(
  pool: pg.Pool,
  run: () => Promise<unknown>,
): Promise<WireEvent[][]> {
  const logs: WireEvent[][] = [];
  const restore = new Map<pg.PoolClient, () => void>();
  const watch = (client: pg.PoolClient): void => {
    const events: WireEvent[] = [];
    logs.push(events);
    const { connection } = client as unknown as { connection: PgConnection };
    const { stream } = connection;
    const { _write, _writev } = stream;
    const ready = (): void => void events.push({ readyForQuery: true });
    const text = (chunk: Buffer | string): string =>
      typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    stream._write = function (this: unknown, chunk, encoding, callback) {
      events.push({ write: text(chunk) });
      _write.call(this, chunk, encoding, callback);
    };
    stream._writev = function (this: unknown, chunks, callback) {
      events.push({ write: chunks.map((c) => text(c.chunk)).join('') });
      _writev.call(this, chunks, callback);
    };
    // Before pg's own listener, which writes the next query when it is not pipelining.
    connection.prependListener('readyForQuery', ready);
    restore.set(client, () => {
      stream._write = _write;
      stream._writev = _writev;
      connection.removeListener('readyForQuery', ready);
    });
  };
  const unwatch = (_err: unknown, client: pg.PoolClient): void => {
    restore.get(client)?.();
    restore.delete(client);
  };
  pool.on('acquire', watch);
  pool.on('release', unwatch);
  try {
    await run();
  } finally {
    pool.removeListener('acquire', watch);
    pool.removeListener('release', unwatch);
    for (const undo of restore.values()) undo();
  }
  return logs;
}

/** The log of the connection that wrote `text`. */
export function connectionThatWrote(logs: WireEvent[][], text: string): WireEvent[] {
  const log = logs.find((events) => events.some((e) => 'write' in e && e.write.includes(text)));
  expect(log).toBeDefined();
  return log as WireEvent[];
}

/**
 * How many answers had come back on the connection when its query containing `text` was
 * written (0: it went out together with everything written since the checkout).
 */
export function answersBefore(log: WireEvent[], text: string): number {
  const at = log.findIndex((e) => 'write' in e && e.write.includes(text));
  expect(at).toBeGreaterThanOrEqual(0);
  return log.slice(0, at).filter((e) => 'readyForQuery' in e).length;
}

/** Whether the connection wrote `a` and `b` in one write (one syscall, one wake-up). */
export function inOneWrite(log: WireEvent[], a: string, b: string): boolean {
  return log.some((e) => 'write' in e && e.write.includes(a) && e.write.includes(b));
}
