import pg from 'pg';

/**
 * node-postgres' Client, with the promise form of `query()` (the one TypeORM uses for every
 * statement) built on pg's callback form.
 *
 * Measured, not fully explained: through pg's own promise form nearly every result
 * outlived two young-generation collections and was copied to the old generation, on
 * Node 20 and 24 alike; through a promise built around the callback form, as here, it did
 * not. A bare server answering 5,000 requests with an 80 KB result each promoted 402 MB
 * through pg's promise form and 1.7 MB through this one (131 MB with V8's allocation-site
 * pretenuring off, so that is part of it). In No Lose that garbage made scavenges of
 * 6–14 ms and a full collection every ~100 conversation pages: the requests that met them
 * were the read p99 (bench/README.md, "Garbage the server kept").
 */
export class NoLoseClient extends pg.Client {}

type UntypedQuery = (this: pg.Client, ...args: unknown[]) => unknown;
const pgQuery = pg.Client.prototype.query as UntypedQuery;

function queryThroughCallback(this: pg.Client, ...args: unknown[]): unknown {
  const [config, values, callback] = args;
  const submittable = typeof (config as { submit?: unknown } | null)?.submit === 'function';
  if (submittable || typeof values === 'function' || typeof callback === 'function') {
    return pgQuery.apply(this, args);
  }
  let settle!: (err: Error | null, result?: pg.QueryResult) => void;
  const promise = new Promise<pg.QueryResult>((resolve, reject) => {
    settle = (err, result) => (err ? reject(err) : resolve(result as pg.QueryResult));
  });
  pgQuery.call(this, config, values, settle);
  // As pg does: captured in a reaction, the stack's async frames lead back to the caller
  // instead of ending at the socket's read.
  return promise.catch((err: Error) => {
    Error.captureStackTrace(err);
    throw err;
  });
}

// Set on the prototype rather than declared in the class, so the class keeps pg's typed
// overloads of query() and only the implementation differs.
NoLoseClient.prototype.query = queryThroughCallback as pg.Client['query'];
