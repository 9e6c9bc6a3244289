// The system under test: a fresh embedded PostgreSQL (or BENCH_DATABASE_URL) and the
// production build of the server (`node dist/server/main.js`) as a child process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts a throwaway PostgreSQL cluster in a temp folder with the server's own helper
 * (dist/server/database/embedded-postgres.js), so the bench runs the same binary and
 * settings `npm start` does. Answers {url, dir, postmasterPid(), stop()}.
 */
export async function startDatabase(root, log) {
  const parent = mkdtempSync(path.join(tmpdir(), 'nolose-bench-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the folder.
  chmodSync(parent, 0o755);
  const dir = path.join(parent, 'pg');
  const port = await freePort();
  const { startEmbeddedPostgres } = await import(
    pathToFileURL(path.join(root, 'dist/server/database/embedded-postgres.js')).href
  );
  log(`Starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${dir})`);
  const db = await startEmbeddedPostgres({ dir, port, database: 'no_lose_bench' });
  return {
    url: db.url,
    parent,
    postmasterPid() {
      try {
        return (
          Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]) || null
        );
      } catch {
        return null;
      }
    },
    async stop({ keep = false } = {}) {
      await db.stop();
      if (!keep) rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** Settings of the server under test: production mode, a known app secret and number. */
export function benchEnvironment({ port, databaseUrl, dataDir, poolSize, commitSlots }) {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(36).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(36).toString('base64url'),
    ACCESS_TOKEN_EXPIRE_MINUTES: '720',
    LOG_LEVEL: 'warn',
    // All bench traffic comes from 127.0.0.1, which the per-IP limit would refuse by design.
    // A limit no run reaches keeps its per-request cost (one upsert) in the read figures.
    RATE_LIMIT_PER_MINUTE: '100000000',
    WA_APP_SECRET: `bench-app-secret-${randomBytes(8).toString('hex')}`,
    WA_VERIFY_TOKEN: 'bench-verify-token',
    WA_PHONE_NUMBER_ID: '109000000000001',
    WA_BUSINESS_ACCOUNT_ID: '209000000000001',
    // Nothing may leave the machine: Graph API calls (sends, media) go to a closed local port.
    WA_API_BASE_URL: 'http://127.0.0.1:9/v23.0',
    WA_API_TIMEOUT_MS: '1000',
    ...(poolSize ? { DB_POOL_SIZE: String(poolSize) } : {}),
    ...(commitSlots ? { WEBHOOK_COMMIT_SLOTS: String(commitSlots) } : {}),
  };
}

/** package.json's `start` runs the server with this V8 old-space limit; the bench does too. */
const HEAP_LIMIT = '--max-old-space-size=256';

/**
 * Spawns `node [nodeArgs] dist/server/main.js` and waits until /api/health answers 200.
 * Keeps the last lines of its output for the report when something fails. `onSpawn(handle)`
 * is called as soon as the process exists, so it can be stopped even before it is ready.
 */
export async function startServer({ root, env, nodeArgs = [], log, onSpawn }) {
  const main = path.join(root, 'dist/server/main.js');
  if (!existsSync(main))
    throw new Error(`${main} is missing: run \`npm run build:server\` (npm run bench does)`);
  mkdirSync(env.DATA_DIR, { recursive: true });
  // The heap limit `npm start` sets (package.json): V8 sizes its heap growth by it.
  const child = spawn(process.execPath, [HEAP_LIMIT, ...nodeArgs, main], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  // pino writes one JSON object per line; level 50+ is error/fatal.
  const errors = { count: 0, first: [] };
  const carry = { stdout: '', stderr: '' };
  const keep = (stream) => (chunk) => {
    const lines = (carry[stream] + String(chunk)).split('\n');
    carry[stream] = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      tail.push(line.slice(0, 2000));
      if (tail.length > 200) tail.shift();
      let level = 0;
      try {
        level = JSON.parse(line).level ?? 0;
      } catch {
        // not pino JSON (e.g. a startup line)
      }
      if (level >= 50) {
        errors.count++;
        if (errors.first.length < 5) errors.first.push(line.slice(0, 600));
      }
    }
  };
  child.stdout.on('data', keep('stdout'));
  child.stderr.on('data', keep('stderr'));
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });

  const handle = {
    pid: child.pid,
    tail,
    /** Error lines the server logged so far: {count, first}. */
    errors,
    exited: () => exited,
    /** SIGTERM (graceful: in-flight requests finish, --cpu-prof profiles are written), then SIGKILL. */
    async stop(timeoutMs = 30_000) {
      if (exited) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
  // From here on the caller can stop the server (Ctrl-C while it is still starting).
  onSpawn?.(handle);

  const deadline = Date.now() + 120_000;
  let health = null;
  for (;;) {
    if (exited) {
      throw new Error(
        `The server exited during start (${JSON.stringify(exited)}):\n${tail.join('\n')}`,
      );
    }
    if (Date.now() > deadline) {
      await handle.stop(5_000);
      throw new Error(
        `The server did not become healthy in 120 s (last answer: ${health}):\n${tail.join('\n')}`,
      );
    }
    health = await healthy(Number(env.PORT));
    if (health === 200) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`Server ready on 127.0.0.1:${env.PORT} (pid ${child.pid})`);
  return handle;
}

function healthy(port) {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/api/health', agent: false, timeout: 2000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve(err.message));
  });
}
