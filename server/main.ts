import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import path from 'node:path';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { NoLoseExpressAdapter } from './common/http/express-adapter.js';
import { EnvValidationError, loadEnv } from './config/env.js';
import { runMigrations } from './database/data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';

async function bootstrap(): Promise<void> {
  const started = Date.now();
  const env = loadEnv();
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const dir = path.join(env.DATA_DIR, 'postgres');
    console.log(`No DATABASE_URL: starting embedded PostgreSQL (data in ${dir})`);
    embedded = await startEmbeddedPostgres({
      dir,
      port: env.EMBEDDED_PG_PORT,
      database: 'no_lose',
    });
    databaseUrl = embedded.url;
  }
  const applied = await runMigrations(databaseUrl);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);

  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ ...env, DATABASE_URL: databaseUrl }),
    new NoLoseExpressAdapter(),
    { rawBody: true, bufferLogs: true, bodyParser: false },
  );
  configureApp(app);

  // Graceful shutdown: stop accepting, finish in-flight requests and queued work
  // (module destroy hooks), then stop the embedded database last.
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: shutting down`);
    const force = setTimeout(() => process.exit(1), 25_000);
    force.unref();
    void app
      .close()
      .catch((err: unknown) => console.error('Error while closing the app', err))
      .then(() => embedded?.stop())
      .catch((err: unknown) => console.error('Error while stopping PostgreSQL', err))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  await app.listen(env.PORT, env.HOST);
  const url = `http://localhost:${env.PORT}`;
  console.log(
    `No Lose is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${url} (API ${url}/api, docs ${url}/docs)`,
  );
}

bootstrap().catch((err: unknown) => {
  if (err instanceof EnvValidationError) {
    console.error(err.message);
  } else {
    console.error('No Lose failed to start:', err);
  }
  process.exit(1);
});
