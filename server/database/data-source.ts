import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { NoLoseClient } from './pg-client.js';
import { GENERIC_PLANS } from './prepared-query.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export interface DatabaseSettings {
  url: string;
  poolSize?: number;
  /** DB_PREPARED_STATEMENTS: generic plans for queryPrepared's statements (default on). */
  preparedStatements?: boolean;
}

/**
 * The one place that turns settings into TypeORM options: used by the app (through
 * TypeOrmModule, which adds entities of each feature module), the migration runner, the
 * TypeORM CLI and the tests. The schema comes only from migrations.
 */
export function dataSourceOptions({
  url,
  poolSize = 20,
  preparedStatements = true,
}: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    // A dead database must fail requests quickly (503), not hang them.
    connectTimeoutMS: 5000,
    extra: {
      // pg-pool's client class: results released as soon as they are used (see there).
      Client: NoLoseClient,
      // A query is written without waiting for the answer to the one before (pg's pipeline
      // mode): what lets pipelinedTransaction send a webhook group's BEGIN and COMMIT with
      // its statements. Code that awaits each query, everywhere else, is not affected.
      pipeline: true,
      max: poolSize,
      connectionTimeoutMillis: 5000,
      // Ends idle connections the server dropped (e.g. a database restart) without crashing.
      keepAlive: true,
      application_name: 'no-lose',
      // Statements run through queryPrepared are planned once per connection, generically.
      ...(preparedStatements ? { options: GENERIC_PLANS } : {}),
    },
  };
}

/** Runs pending migrations; an advisory lock lets several instances start at once. */
export async function runMigrations(url: string): Promise<string[]> {
  // Two connections: one holds the advisory lock while TypeORM migrates on the other.
  const ds = new DataSource(dataSourceOptions({ url, poolSize: 2 }));
  await ds.initialize();
  try {
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(764000000)');
      const done = await ds.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(764000000)').catch(() => undefined);
      await runner.release();
    }
  } finally {
    await ds.destroy();
  }
}

/** DataSource for the TypeORM CLI (`npm run typeorm -- …`); DATABASE_URL must be set. */
export function cliDataSource(url: string): DataSource {
  return new DataSource({
    ...dataSourceOptions({ url, poolSize: 1 }),
    entities: [path.join(import.meta.dirname, '..', '**', '*.entity.js')],
  });
}
