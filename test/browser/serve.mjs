// Serves the production build for the browser tests: a fresh embedded PostgreSQL in a
// temporary folder, the Meta emulator, and No Lose wired to it. Playwright starts this
// (webServer) and stops it with SIGTERM.
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..', '..');
const APP_PORT = Number(process.env.BROWSER_APP_PORT ?? 8123);
const EMULATOR_PORT = Number(process.env.BROWSER_EMULATOR_PORT ?? 4123);
const dataDir = mkdtempSync(path.join(tmpdir(), 'nolose-browser-'));
chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach it

const shared = {
  EMULATOR_PORT: String(EMULATOR_PORT),
  EMULATOR_ACCESS_TOKEN: 'browser-test-token',
  EMULATOR_PHONE_NUMBER_ID: '106540352242922',
  EMULATOR_BUSINESS_ACCOUNT_ID: '102290129340398',
  EMULATOR_APP_SECRET: 'browser-test-app-secret',
  EMULATOR_WEBHOOK_URL: `http://127.0.0.1:${APP_PORT}/api/webhook`,
};
const emulator = spawn(process.execPath, ['dist/emulator/main.js'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ...shared },
});
const app = spawn(process.execPath, ['dist/server/main.js'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(APP_PORT),
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(55400 + Math.floor(Math.random() * 500)),
    BCRYPT_ROUNDS: '4',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    LOG_LEVEL: 'warn',
    WA_API_BASE_URL: `http://127.0.0.1:${EMULATOR_PORT}/v23.0`,
    WA_ACCESS_TOKEN: shared.EMULATOR_ACCESS_TOKEN,
    WA_PHONE_NUMBER_ID: shared.EMULATOR_PHONE_NUMBER_ID,
    WA_BUSINESS_ACCOUNT_ID: shared.EMULATOR_BUSINESS_ACCOUNT_ID,
    WA_APP_SECRET: shared.EMULATOR_APP_SECRET,
    WA_VERIFY_TOKEN: 'browser-verify-token',
  },
});
const stop = () => {
  app.kill('SIGTERM');
  emulator.kill('SIGTERM');
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
app.on('exit', (code) => {
  emulator.kill('SIGTERM');
  process.exit(code ?? 0);
});
