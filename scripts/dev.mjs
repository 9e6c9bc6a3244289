// `npm run dev`: the server recompiled and restarted on change (tsc --watch + node --watch)
// and the Angular dev server on :4200 proxying /api to it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildIfStale } from './build-if-stale.mjs';

const root = path.resolve(import.meta.dirname, '..');
buildIfStale({ client: false });
const children = [
  spawn('npx', ['tsc', '-p', 'tsconfig.server.json', '--watch', '--preserveWatchOutput'], {
    cwd: root,
    stdio: 'inherit',
  }),
  spawn(
    process.execPath,
    ['--watch-path=dist/server', '--watch-path=dist/migrations', 'dist/server/main.js'],
    { cwd: root, stdio: 'inherit' },
  ),
  spawn('npx', ['ng', 'serve', 'client', '--proxy-config', 'client/proxy.conf.json'], {
    cwd: root,
    stdio: 'inherit',
  }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
