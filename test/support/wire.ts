import { expect } from '@jest/globals';
import type pg from 'pg';

/** What went over one pool connection: each write (as latin1 text) and each answer's end. */
export type WireEvent = { write: string } | { readyForQuery: true };

interface PgConnection {
  stream: { write: (chunk: Buffer, ...rest: unknown[]) => boolean };
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
    const write = connection.stream.write;
    const ready = (): void => void events.push({ readyForQuery: true });
    connection.stream.write = function (this: unknown, chunk: Buffer, ...rest: unknown[]) {
      events.push({ write: Buffer.from(chunk).toString('latin1') });
      return write.call(this, chunk, ...rest);
    };
    // Before pg's own listener, which writes the next query when it is not pipelining.
    connection.prependListener('readyForQuery', ready);
    restore.set(client, () => {
      connection.stream.write = write;
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
