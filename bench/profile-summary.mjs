#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `BENCH_CPU_PROF=1 npm run bench`, i.e. node --cpu-prof):
// where the server's CPU went, by area (our code, TypeORM, pg, Nest/Express, JSON, GC, idle)
// and by function (self time).
//
//   node bench/profile-summary.mjs <file.cpuprofile> [top=30]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('Usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(1);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfTicks = new Map();
for (const id of profile.samples) selfTicks.set(id, (selfTicks.get(id) ?? 0) + 1);
const total = profile.samples.length;
const intervalMs = (profile.endTime - profile.startTime) / 1000 / Math.max(1, total);

/** The package or area a frame belongs to. */
function area(frame) {
  const url = frame.url ?? '';
  const name = frame.functionName;
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'V8/native (program)';
  if (name === 'JSON.parse' || name === 'JSON.stringify' || (name === 'parse' && url === ''))
    return 'JSON';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    const name = pkg[1];
    if (
      name.startsWith('@nestjs/') ||
      name === 'express' ||
      name.startsWith('body-parser') ||
      name === 'router'
    ) {
      return 'Nest/Express';
    }
    if (name.startsWith('pino') || name === 'nestjs-pino') return 'logging (pino)';
    if (name === 'pg' || name.startsWith('pg-')) return 'pg driver';
    return name;
  }
  if (url.includes('/dist/server/')) return 'our server code';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url ? 'other JS' : 'native/builtins';
}

const areas = new Map();
const functions = new Map();
for (const [id, ticks] of selfTicks) {
  const node = byId.get(id);
  const frame = node.callFrame;
  const a = area(frame);
  areas.set(a, (areas.get(a) ?? 0) + ticks);
  const where = frame.url
    ? `${frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`
    : '';
  const key = `${frame.functionName || '(anonymous)'} ${where}`;
  functions.set(key, (functions.get(key) ?? 0) + ticks);
}

const pct = (ticks) => `${((ticks / total) * 100).toFixed(1).padStart(5)} %`;
const busy = total - (areas.get('idle') ?? 0);
console.log(
  `${file}: ${total} samples, ${((total * intervalMs) / 1000).toFixed(1)} s, busy ${pct(busy)}`,
);
console.log('\nBy area (self time; % of all samples):');
for (const [a, t] of [...areas].sort((x, y) => y[1] - x[1])) console.log(`  ${pct(t)}  ${a}`);
console.log(`\nTop ${top} functions (self time):`);
for (const [f, t] of [...functions].sort((x, y) => y[1] - x[1]).slice(0, top))
  console.log(`  ${pct(t)}  ${f}`);
