import { createHash } from 'node:crypto';
import type { PoolClient, QueryConfig } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

/** The pool connections' startup option when DB_PREPARED_STATEMENTS is on (the default). */
export const GENERIC_PLANS = '-c plan_cache_mode=force_generic_plan';

/**
 * Runs one of the webhook group's statements as a named prepared statement on the
 * transaction's connection, so PostgreSQL parses and plans it once per connection instead
 * of on every group. The pool's connections use generic plans for such statements
 * (`plan_cache_mode`, set in dataSourceOptions): measured with the bench's ceiling, planning
 * was about a quarter of PostgreSQL's time per group, and the generic plans run as fast as
 * the custom ones (the inputs are jsonb and arrays, which no custom plan can see into).
 *
 * The statement's outer result must keep its columns whatever migrations add to a table
 * (a cached plan may not change its result type): return rows as jsonb or name columns.
 * Outside a transaction, or with DB_PREPARED_STATEMENTS=false (a transaction-pooling
 * PgBouncer that keeps no prepared statements), it is a plain `manager.query`.
 */
export async function queryPrepared<T>(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive || !usesGenericPlans(manager)) {
    return manager.query<T[]>(text, values);
  }
  const client = (await runner.connect()) as PoolClient;
  try {
    const result = await client.query<T & object>(statementConfig(text, values, true));
    return result.rows;
  } catch (err) {
    throw queryFailed(text, values, err);
  }
}

/** Whether the pool's connections plan queryPrepared's statements generically (see above). */
export function usesGenericPlans(manager: EntityManager): boolean {
  const extra = manager.connection.options.extra as { options?: string } | undefined;
  return extra?.options === GENERIC_PLANS;
}

/** pg's query config for a statement: named (prepared) when `prepared`. */
export function statementConfig(text: string, values: unknown[], prepared: boolean): QueryConfig {
  return prepared ? { name: statementName(text), text, values } : { text, values };
}

/** The same error type as every other query, so retries and 503s treat it alike. */
export function queryFailed(text: string, values: unknown[], err: unknown): QueryFailedError {
  return new QueryFailedError(text, values, err as Error);
}

const names = new Map<string, string>();

/** One name per statement text (node-pg refuses one name for two texts). */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `nolose_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}
