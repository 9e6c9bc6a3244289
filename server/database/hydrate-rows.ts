import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Turns rows of a raw query (`INSERT … RETURNING *`, snake_case columns) into entities, the
 * way TypeORM hydrates its own queries: set-based SQL stays set-based, and mappers still
 * receive entities. Columns absent from the row are left unset.
 */
export function hydrateRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: Record<string, unknown>[],
): T[] {
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  return rows.map((row) => {
    const entity = metadata.create() as T;
    for (const column of metadata.columns) {
      if (column.databaseName in row) {
        column.setEntityValue(
          entity,
          driver.prepareHydratedValue(row[column.databaseName], column),
        );
      }
    }
    return entity;
  });
}
