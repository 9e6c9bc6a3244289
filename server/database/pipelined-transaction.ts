import type { Socket } from 'node:net';
import type { PoolClient, QueryResult } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner.js';
import { queryFailed, statementConfig, usesGenericPlans } from './prepared-query.js';

/** A statement and its parameters ($1…$n). */
export interface Statement {
  text: string;
  values: unknown[];
}

/** What the work of a pipelined transaction answers. */
export interface PipelinedWork<T> {
  value: T;
  /** The transaction's last statement, sent together with the COMMIT; its rows are not read. */
  last: Statement | null;
}

type Outcome = { ok: true; result: QueryResult } | { ok: false; error: unknown };

/** A query's outcome as a value, so a failure waits for its turn to be thrown. */
const settle = (query: Promise<QueryResult>): Promise<Outcome> =>
  query.then(
    (result) => ({ ok: true, result }),
    (error: unknown) => ({ ok: false, error }),
  );

/** Holds the connection's writes until the answered function is called (once). */
function cork(client: PoolClient): () => void {
  const { stream } = (client as unknown as { connection: { stream: Partial<Socket> } }).connection;
  if (!stream.cork || !stream.uncork) return () => undefined;
  stream.cork();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    stream.uncork?.();
  };
}

/**
 * A transaction that costs two round trips fewer than `dataSource.transaction()`: its START
 * TRANSACTION goes out together with the first statement of `work`, and the `last` statement
 * `work` answers together with the COMMIT. The pool's connections are in node-postgres'
 * pipeline mode (data-source.ts), which writes a query without waiting for the answer to the
 * one before; PostgreSQL still runs them one after the other, in order.
 *
 * Why it matters: on a busy machine each round trip waits for both processes to be scheduled
 * (about 1.3 ms measured on the 2-core bench machine, for a statement PostgreSQL runs in
 * 0.02 ms), and a webhook group's transaction holds one of the few commit slots for all of
 * them (bench/README.md, "Round trips").
 *
 * Safe because:
 * - a statement that fails aborts the transaction, so the COMMIT behind it answers ROLLBACK
 *   and nothing is committed; the statement's error is thrown;
 * - START TRANSACTION fails only with the connection, and then so does everything after it;
 * - nothing is acknowledged before the COMMIT's own answer has been read.
 *
 * `work` runs with a manager whose query runner is marked in a transaction (so TypeORM and
 * queryPrepared treat it as one, and nothing nests its own) and must not end it.
 */
export async function pipelinedTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<PipelinedWork<T>>,
): Promise<T> {
  const runner = dataSource.createQueryRunner() as PostgresQueryRunner;
  try {
    const client = (await runner.connect()) as PoolClient;
    runner.isTransactionActive = true;
    // What is written before the event loop's next tick leaves in one write (pg corks each
    // query on its own): START TRANSACTION and the statements `work` sends before waiting for
    // an answer wake PostgreSQL's backend once instead of once each.
    const uncork = cork(client);
    process.nextTick(uncork);
    const begun = settle(client.query('START TRANSACTION'));
    let value: T;
    let ended: Promise<Outcome> | null = null;
    let committed: Promise<Outcome>;
    try {
      const done = await work(runner.manager);
      value = done.value;
      const { last } = done;
      // The last statement and the COMMIT in one write, too.
      const uncorkEnd = cork(client);
      try {
        if (last !== null) {
          const config = statementConfig(last.text, last.values, usesGenericPlans(runner.manager));
          ended = settle(client.query(config)).then((outcome) =>
            outcome.ok
              ? outcome
              : { ok: false, error: queryFailed(last.text, last.values, outcome.error) },
          );
        }
        committed = settle(client.query('COMMIT'));
      } finally {
        uncorkEnd();
      }
    } catch (err) {
      await begun;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    // Every answer is read before anything is thrown: the connection goes back to the pool idle.
    const outcomes = await Promise.all([begun, ended, committed]);
    for (const outcome of outcomes) if (outcome !== null && !outcome.ok) throw outcome.error;
    const commit = outcomes[2] as { ok: true; result: QueryResult };
    // A COMMIT of a transaction that failed answers ROLLBACK (an error `work` caught itself).
    if (commit.result.command !== 'COMMIT') {
      throw new Error(`The transaction was rolled back (COMMIT answered ${commit.result.command})`);
    }
    return value;
  } finally {
    runner.isTransactionActive = false;
    await runner.release();
  }
}
