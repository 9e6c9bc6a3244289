// Builds the server and/or the client when their sources are newer than the build, so
// `npm start` on a fresh clone builds once and later starts are instant.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function newestMtime(entries) {
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules') walk(path.join(p, name));
    } else if (!p.endsWith('.spec.ts')) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const e of entries) walk(path.join(root, e));
  return newest;
}

function mtime(file) {
  const p = path.join(root, file);
  return existsSync(p) ? statSync(p).mtimeMs : 0;
}

function run(script) {
  console.log(`> npm run ${script}`);
  const res = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`npm run ${script} failed (exit ${res.status})`);
    process.exit(res.status ?? 1);
  }
}

export function buildIfStale({ server = true, client = true } = {}) {
  const serverSources = [
    'server',
    'migrations',
    'emulator',
    'tsconfig.json',
    'tsconfig.server.json',
    'package.json',
  ];
  if (server && newestMtime(serverSources) > mtime('dist/server/main.js')) run('build:server');
  const clientSources = ['client', 'angular.json', '.postcssrc.json'];
  if (client && newestMtime(clientSources) > mtime('dist/client/browser/index.html'))
    run('build:client');
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfStale();
