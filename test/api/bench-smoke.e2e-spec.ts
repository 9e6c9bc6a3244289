import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, dropTestDatabase } from '../support/db.js';

// The benchmark (`npm run bench`, issue 7) is not part of the tests — timing assertions do
// not belong here — but its smoke mode is, so the script cannot rot: a few hundred signed
// webhooks, the status phase, the database ceiling and a tiny read dataset, against the
// production build on a database cloned from the migrated template.

interface BenchReport {
  mode: string;
  problems: string[];
  dataOk: boolean;
  verification: {
    ok: boolean;
    expected: number;
    api: { seen: number; missing: number; duplicates: number; unexpected: number };
  };
  statuses: { verification: { ok: boolean } }[];
  ceiling: { messages: number; errors: number };
  reads: { endpoints: { name: string; n: number; problem: string | null }[] };
}

const root = path.resolve(import.meta.dirname, '..', '..');
let databaseUrl: string;
let workDir: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  workDir = mkdtempSync(path.join(tmpdir(), 'nolose-bench-smoke-'));
});

afterAll(async () => {
  await dropTestDatabase(databaseUrl);
  rmSync(workDir, { recursive: true, force: true });
});

function runBench(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/run.mjs', '--smoke'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('node bench/run.mjs --smoke', () => {
  it('runs every phase and finds each webhook message and status stored exactly once', async () => {
    const reportPath = path.join(workDir, 'report.json');
    const { code, output } = await runBench({
      BENCH_DATABASE_URL: databaseUrl,
      BENCH_REPORT: reportPath,
    });

    // The output names what went wrong when the run fails.
    expect({ code, tail: code === 0 ? '' : output.slice(-4000) }).toEqual({ code: 0, tail: '' });
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as BenchReport;
    expect(report.mode).toBe('smoke');
    expect(report.problems).toEqual([]);
    expect(report.verification).toMatchObject({
      ok: true,
      api: { missing: 0, duplicates: 0, unexpected: 0 },
    });
    expect(report.verification.api.seen).toBe(report.verification.expected);
    expect(report.statuses.length).toBeGreaterThan(0);
    expect(report.statuses.every((s) => s.verification.ok)).toBe(true);
    expect(report.ceiling).toMatchObject({ errors: 0 });
    expect(report.ceiling.messages).toBeGreaterThan(0);
    expect(report.reads.endpoints.filter((e) => e.problem !== null || e.n === 0)).toEqual([]);
  }, 300_000);
});
