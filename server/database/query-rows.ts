import type { EntityManager } from 'typeorm';

/**
 * Runs raw SQL and returns its rows, whatever the statement. TypeORM's postgres driver
 * answers `[rows, rowCount]` for UPDATE and DELETE (also with RETURNING) but plain rows for
 * everything else; this hides the difference.
 */
export async function queryRows<T = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const result = (await manager.query(sql, parameters)) as unknown;
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
