import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../server/app.module.js';
import { configureApp } from '../../server/app.setup.js';
import { NoLoseExpressAdapter } from '../../server/common/http/express-adapter.js';
import { validateEnv, type Env } from '../../server/config/env.js';
import { createTestDatabase, dropTestDatabase } from './db.js';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  env: Env;
  db: DataSource;
  databaseUrl: string;
  close(): Promise<void>;
}

export const TEST_SECRET = 'test-secret-key-that-is-long-enough-0123456789';

/**
 * The real AppModule through configureApp, on its own cloned database. `env` overrides
 * the defaults below (e.g. WA_APP_SECRET, WA_API_BASE_URL pointing at the emulator).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  const validated = validateEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    BCRYPT_ROUNDS: '4',
    // Tests sign up many users from one IP; test/api/rate-limit.e2e-spec.ts sets real limits.
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    SECRET_KEY: TEST_SECRET,
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ ...validated, DATABASE_URL: databaseUrl })],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new NoLoseExpressAdapter(), {
    rawBody: true,
    bodyParser: false,
    logger: false,
  });
  configureApp(app);
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    env: validated,
    db: app.get(DataSource),
    databaseUrl,
    close: async () => {
      await app.close();
      if (!env.DATABASE_URL) await dropTestDatabase(databaseUrl);
    },
  };
}
