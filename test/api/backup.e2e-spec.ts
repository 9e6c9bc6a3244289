import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { backupDatabase, restoreDatabase } from '../../server/database/backup.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { adminUrlFor, dropTestDatabase } from '../support/db.js';
import { createUser } from '../support/factories.js';
import {
  customerWaId,
  inboundNotification,
  META_TYPES,
  metaMessage,
  postWebhook,
  webhookEnv,
} from '../support/meta.js';

// npm run db:backup / db:restore: a consistent logical export (gzip JSON lines) restored
// into a new database gives the same rows, and ids continue after the restored ones.

let t: TestApp;
let dir: string;
const created: string[] = [];

async function emptyDatabase(): Promise<string> {
  const name = `r_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({
    connectionString: adminUrlFor(process.env.NL_TEST_ADMIN_URL as string, 'postgres'),
  });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = adminUrlFor(process.env.NL_TEST_ADMIN_URL as string, name);
  created.push(url);
  return url;
}

async function dump(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
    );
    const out: Record<string, string[]> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ j: string }>(
        `SELECT to_jsonb(t)::text AS j FROM public."${name}" t ORDER BY 1`,
      );
      out[name] = rows.map((r) => r.j);
    }
    return out;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'nolose-backup-'));
  t = await createTestApp(webhookEnv());
  await createUser(t, { name: 'Backed Up' });
  for (let i = 0; i < 30; i++) {
    const from = customerWaId();
    await postWebhook(
      t,
      inboundNotification(
        from,
        `Customer ${i} \u{1F600} <b>`,
        metaMessage(from, META_TYPES.text(`message ${i}\nline 2 'quoted' "double"`)),
      ),
    ).expect(200);
  }
});
afterAll(async () => {
  await t.close();
  for (const url of created) await dropTestDatabase(url);
  rmSync(dir, { recursive: true, force: true });
});

describe('db:backup and db:restore', () => {
  it('restores the same rows into a new database, and new ids continue after them', async () => {
    const file = path.join(dir, 'backup.jsonl.gz');
    const backup = await backupDatabase(t.databaseUrl, file);
    console.log(`[backup] rows per table: ${JSON.stringify(backup.rows)}`);
    expect(backup.rows.messages).toBe(30);
    expect(backup.migrations.length).toBeGreaterThan(0);

    const target = await emptyDatabase();
    const restored = await restoreDatabase(target, file);
    expect(restored.rows).toEqual(backup.rows);
    expect(await dump(target)).toEqual(await dump(t.databaseUrl));

    // The restored database works: a new user gets an id after the restored ones.
    const restoredApp = await createTestApp(webhookEnv({ DATABASE_URL: target }));
    try {
      const user = await createUser(restoredApp);
      const [{ max }] = await t.db.query<{ max: number }[]>('SELECT max(id) AS max FROM users');
      expect(user.id).toBeGreaterThan(max);
      const list = await restoredApp.http.get('/api/conversations').set(user.auth).expect(200);
      expect(list.body).toBeDefined();
    } finally {
      await restoredApp.close();
    }
  });

  it('refuses to restore into a database that has data', async () => {
    const file = path.join(dir, 'again.jsonl.gz');
    await backupDatabase(t.databaseUrl, file);
    await expect(restoreDatabase(t.databaseUrl, file)).rejects.toThrow(/not empty/);
  });

  it('refuses to restore when the migrations differ', async () => {
    const file = path.join(dir, 'schema.jsonl.gz');
    await backupDatabase(t.databaseUrl, file);
    const target = await emptyDatabase();
    const { runMigrations } = await import('../../server/database/data-source.js');
    await runMigrations(target);
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query(
      `INSERT INTO migrations ("timestamp", name) VALUES (99999999999999, 'FromTheFuture99999999999999')`,
    );
    await client.end();
    await expect(restoreDatabase(target, file)).rejects.toThrow(/another schema version/);
  });
});
