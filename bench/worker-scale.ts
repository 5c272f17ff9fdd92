/**
 * `npm run bench:worker`: the worker with many open claims, one run per workflow-cache setting. Each run has a task
 * queue and households of its own, a fresh worker started with `WORKER_MAX_CACHED_WORKFLOWS` (or the SDK's default),
 * and fills claims into public notice (filed and reviewed through the API, a 6 h notice so they stay) up to
 * BENCH_WORKER_CLAIMS or BENCH_WORKER_SECONDS; it reports the worker's RSS and the latency of the human action (the
 * village review) at 100 / 1,000 / 10,000 open claims. Writes bench/results/worker-latest.md.
 *   BENCH_WORKER_CACHES=default,250   the settings to compare ("default": the SDK's own)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../scripts/stack/local-stack';
import { measureOpenClaims, type OpenClaimsResult } from './phases/open-claims';
import { startBenchStack } from './stack';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });

async function main(): Promise<void> {
  const target = num('BENCH_WORKER_CLAIMS', 10_000);
  const budgetSeconds = num('BENCH_WORKER_SECONDS', 300);
  const caches = (process.env.BENCH_WORKER_CACHES ?? 'default,250').split(',').map((c) => c.trim());
  const started = Date.now();
  const step = (text: string) => console.log(`[bench:worker ${Math.round((Date.now() - started) / 1000)} s] ${text}`);
  step('starting servers and simulators');
  const stack = await startBenchStack();
  const runs: { cache: string; result: OpenClaimsResult }[] = [];
  try {
    for (const [i, cache] of caches.entries()) {
      const taskQueue = `bench-worker-${i}-${Date.now()}`;
      const env = { TEMPORAL_TASK_QUEUE: taskQueue, ...(cache === 'default' ? {} : { WORKER_MAX_CACHED_WORKFLOWS: cache }) };
      step(`cache ${cache}: up to ${n(target)} claims into public notice (budget ${budgetSeconds} s)`);
      const worker = stack.startWorker(env);
      try {
        const result = await measureOpenClaims(stack, worker, {
          target,
          budgetSeconds,
          concurrency: 8,
          apiEnv: { TEMPORAL_TASK_QUEUE: taskQueue },
          firstHousehold: 200_000 + i * 1_000,
        });
        runs.push({ cache, result });
        step(`cache ${cache}: ${n(result.reached)} open, worker RSS ${n(result.worker.rssAfterMb)} MB`);
      } finally {
        await worker.stop();
      }
    }
  } finally {
    await stack.stop();
  }
  const lines = [
    `# Worker scale, ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. ` +
      `Whole run: ${n((Date.now() - started) / 60_000, 1)} min. Claims filed and reviewed through the API into a 6 h notice.`,
    '',
    '| workflow cache | open claims reached (s) | worker RSS before → with all waiting | review p50 / p99 at each milestone (open claims: ms) |',
    '| --- | --- | --- | --- |',
    ...runs.map(({ cache, result: r }) => {
      const at = r.at.map((m) => `${n(m.open)}: ${n(m.update.p50)} / ${n(m.update.p99)}`).join(' · ');
      return `| ${cache} | ${n(r.reached)} (${n(r.seconds)} s) | ${n(r.worker.rssBeforeMb)} → ${n(r.worker.rssAfterMb)} MB | ${at} |`;
    }),
    '',
  ];
  const report = lines.join('\n');
  const dir = join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'worker-latest.md'), report);
  console.log(`\n${report}\n(written to bench/results/worker-latest.md)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('[bench:worker] failed:', error);
    process.exit(1);
  },
);
