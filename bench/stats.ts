/** Latency summary in milliseconds. */
export interface Percentiles {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentiles: every figure is a latency that was actually observed. */
export function percentiles(values: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => (sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]);
  return { samples: sorted.length, p50: at(50), p95: at(95), p99: at(99) };
}
