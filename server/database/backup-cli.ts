// npm run db:backup [-- <file>]   and   npm run db:restore -- <file>
// On DATABASE_URL, or on the embedded PostgreSQL under DATA_DIR (reached on its port when
// the server is running, else started here). See README, "Backup and restore".
import path from 'node:path';
import pg from 'pg';
import { loadEnv } from '../config/env.js';
import { backupDatabase, restoreDatabase, RestoreRefusedError } from './backup.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded-postgres.js';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const [command, fileArg] = process.argv.slice(2);
  if (command !== 'backup' && command !== 'restore') {
    throw new Error('usage: backup-cli.js backup [file] | restore <file>');
  }
  const env = loadEnv();
  let embedded: EmbeddedDatabase | undefined;
  let url = env.DATABASE_URL;
  if (!url) {
    url = `postgres://postgres:postgres@127.0.0.1:${env.EMBEDDED_PG_PORT}/no_lose`;
    if (!(await reachable(url))) {
      embedded = await startEmbeddedPostgres({
        dir: path.join(env.DATA_DIR, 'postgres'),
        port: env.EMBEDDED_PG_PORT,
        database: 'no_lose',
      });
      url = embedded.url;
    }
  }
  try {
    if (command === 'backup') {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = fileArg ?? path.join(env.DATA_DIR, 'backups', `no-lose-${stamp}.jsonl.gz`);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(path.dirname(file), { recursive: true });
      const summary = await backupDatabase(url, file);
      const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
      console.log(
        `Backup written to ${file}: ${total} rows in ${Object.keys(summary.rows).length} tables`,
      );
    } else {
      if (!fileArg) throw new Error('usage: npm run db:restore -- <file>');
      const summary = await restoreDatabase(url, fileArg);
      const total = Object.values(summary.rows).reduce((a, b) => a + b, 0);
      console.log(
        `Restored ${total} rows in ${Object.keys(summary.rows).length} tables from ${fileArg}`,
      );
    }
  } finally {
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof RestoreRefusedError ? err.message : err);
  process.exit(1);
});
