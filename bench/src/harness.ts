import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One measured figure next to the baseline measured in the same run. */
export interface Figure {
  suite: string;
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baseline: number;
  /** value / baseline for rates, baseline-normalised for latencies (see `higherIsBetter`). */
  ratio: number;
  higherIsBetter: boolean;
  notes?: string;
}

export function figure(input: Omit<Figure, 'ratio'>): Figure {
  return { ...input, ratio: input.baseline === 0 ? NaN : input.value / input.baseline };
}

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** Runs `worker(i)` for i in [0, total) with `concurrency` loops in flight. */
export async function runConcurrently(
  total: number,
  concurrency: number,
  worker: (i: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await worker(next++);
    }),
  );
}

/** Samples peak RSS / heap while `fn` runs. */
export async function withPeakMemory<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; peakRssMb: number; peakHeapMb: number }> {
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  try {
    const result = await fn();
    return { result, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

const fmt = (n: number) =>
  !Number.isFinite(n)
    ? String(n)
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 1
        ? n.toFixed(2)
        : n.toPrecision(3);

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.suite,
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    `${f.baselineName}: ${fmt(f.baseline)} ${f.unit}`,
    `${fmt(f.ratio)}x${f.higherIsBetter ? '' : ' (lower is better)'}`,
  ]);
  const header = ['suite', 'figure', 'value', 'baseline (same run)', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export function writeResults(
  root: string,
  suite: string,
  figures: Figure[],
  environment: Record<string, unknown>,
) {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${suite}-${stamp}.json`);
  writeFileSync(
    file,
    JSON.stringify({ suite, at: new Date().toISOString(), environment, figures }, null, 2) + '\n',
  );
  return file;
}
