// Jest loads global setup outside its ESM transform, so this file uses the compiled server
// (`npm run test:api` builds it first): the real migrations, the real embedded PostgreSQL.
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runMigrations } from '../dist/server/database/data-source.js';
import { startEmbeddedPostgres } from '../dist/server/database/embedded-postgres.js';

const TEMPLATE_DB = 'nolose_template';

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * One throwaway PostgreSQL for the whole run (or the server in TEST_DATABASE_URL): the real
 * migrations build a template database, and every test file clones it (support/db.ts).
 */
export default async function globalSetup() {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const parent = mkdtempSync(path.join(tmpdir(), 'nolose-test-'));
    chmodSync(parent, 0o755); // as root, PostgreSQL runs as `postgres` and must reach it
    const dir = path.join(parent, 'pg');
    const port = 55000 + Math.floor(Math.random() * 5000);
    globalThis.__NL_PG__ = await startEmbeddedPostgres({ dir, port, database: 'postgres' });
    adminUrl = globalThis.__NL_PG__.url;
  }
  process.env.NL_TEST_ADMIN_URL = adminUrl;
  const admin = new pg.Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await runMigrations(withDatabase(adminUrl, TEMPLATE_DB));
}
