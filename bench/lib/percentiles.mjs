// Latency samples and their percentiles (nearest-rank), shared by every phase.

/** A growable Float64Array of samples (milliseconds). */
export class Samples {
  constructor(initial = 1024) {
    this.values = new Float64Array(initial);
    this.length = 0;
  }

  push(value) {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  summary() {
    return summarize(this.values.subarray(0, this.length));
  }
}

/** {n, p50, p90, p99, max, mean} of an array of milliseconds; nulls when empty. */
export function summarize(values) {
  const n = values.length;
  if (n === 0) return { n: 0, p50: null, p90: null, p99: null, max: null, mean: null };
  const sorted = Float64Array.from(values).sort();
  const at = (p) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))];
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n,
    p50: round(at(50)),
    p90: round(at(90)),
    p99: round(at(99)),
    max: round(sorted[n - 1]),
    mean: round(sum / n),
  };
}

export function round(value, digits = 2) {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
