// Samples processes from /proc every 500 ms: resident memory (VmRSS) and CPU time
// (utime + stime), turned into CPU% per interval (100 % = one core fully busy). Linux only;
// elsewhere the sampler reports nothing rather than failing the run.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const INTERVAL_MS = 500;

function clockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
const TICKS = clockTicks();

/** {ppid, ticks} of a pid from /proc/<pid>/stat, or null when it is gone. */
function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields follow the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

function readRssKb(pid) {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** The pid and all its descendants (PostgreSQL: the postmaster and its backends). */
function withDescendants(root) {
  const children = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [root];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (!stat) continue;
    if (!children.has(stat.ppid)) children.set(stat.ppid, []);
    children.get(stat.ppid).push(Number(name));
  }
  const out = [];
  const stack = [root];
  while (stack.length > 0 && out.length < 10_000) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Busy and total jiffies of the whole machine (/proc/stat first line). */
function machineTicks() {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const idle = cpu[3] + (cpu[4] ?? 0);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * Starts sampling. `targets` maps a name to a function returning the pid to watch (or null);
 * `tree: true` sums the pid and its descendants. `mark(label)` starts a new window;
 * `stop()` ends sampling. `window(label)` summarises one window:
 * {name: {rssMaxMb, rssAvgMb, cpuAvgPct, cpuMaxPct}, machine: {busyPct}}.
 */
export function startSampler(targets) {
  const last = new Map();
  const windows = new Map();
  let current = null;
  let lastMachine = machineTicks();
  let lastAt = performance.now();

  const sample = () => {
    const now = performance.now();
    const dt = (now - lastAt) / 1000;
    lastAt = now;
    const row = {};
    for (const [name, target] of Object.entries(targets)) {
      const pid = target.pid();
      if (!pid) continue;
      const pids = target.tree ? withDescendants(pid) : [pid];
      let ticks = 0;
      let rssKb = 0;
      for (const p of pids) {
        const stat = readStat(p);
        if (!stat) continue;
        ticks += stat.ticks;
        rssKb += readRssKb(p) ?? 0;
      }
      const previous = last.get(`${name}:${pid}`);
      last.set(`${name}:${pid}`, ticks);
      // Processes that ended between samples make the tree's total drop: skip that interval.
      const cpuPct =
        previous === undefined || ticks < previous ? null : ((ticks - previous) / TICKS / dt) * 100;
      row[name] = { rssMb: rssKb / 1024, cpuPct };
    }
    const machine = machineTicks();
    if (machine && lastMachine && machine.total > lastMachine.total) {
      row.machine = {
        busyPct: ((machine.busy - lastMachine.busy) / (machine.total - lastMachine.total)) * 100,
      };
    }
    lastMachine = machine;
    if (current) windows.get(current).push(row);
  };

  const timer = setInterval(sample, INTERVAL_MS);
  timer.unref();
  return {
    // Windows only switch labels: every row comes from the 500 ms timer, so CPU% is always
    // computed over a full interval (a 1 ms interval would turn one clock tick into 1000 %).
    mark(label) {
      current = label;
      if (!windows.has(label)) windows.set(label, []);
    },
    pause() {
      current = null;
    },
    stop() {
      clearInterval(timer);
      current = null;
    },
    window(label) {
      const rows = windows.get(label) ?? [];
      const out = {};
      const names = new Set(rows.flatMap((r) => Object.keys(r)));
      for (const name of names) {
        if (name === 'machine') {
          const busy = rows.map((r) => r.machine?.busyPct).filter((v) => v !== undefined);
          out.machine = { busyPct: avg(busy) };
          continue;
        }
        const rss = rows.map((r) => r[name]?.rssMb).filter((v) => v !== undefined);
        const cpu = rows.map((r) => r[name]?.cpuPct).filter((v) => v !== undefined && v !== null);
        out[name] = {
          rssMaxMb: max(rss),
          rssAvgMb: avg(rss),
          cpuAvgPct: avg(cpu),
          cpuMaxPct: max(cpu),
        };
      }
      out.samples = rows.length;
      return out;
    },
  };
}

function avg(values) {
  return values.length
    ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10
    : null;
}

function max(values) {
  return values.length ? Math.round(Math.max(...values) * 10) / 10 : null;
}

/** The postmaster pid of a PostgreSQL on this machine (the parent of our backend), or null. */
export async function postmasterOf(pool) {
  try {
    const { rows } = await pool.query('SELECT pg_backend_pid() AS pid');
    const stat = readStat(rows[0].pid);
    if (!stat) return null;
    const cmd = readFileSync(`/proc/${stat.ppid}/cmdline`, 'utf8');
    return cmd.includes('postgres') ? stat.ppid : null;
  } catch {
    return null;
  }
}
