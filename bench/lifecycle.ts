/**
 * `npm run bench:lifecycle`: the lifecycle phase of `npm run bench` alone — claims driven from filing to paid per
 * second against the baseline workflow, and the CPU each process spends per claim — on servers of its own. Sizes:
 * BENCH_LIFECYCLE_CLAIMS (40), BENCH_LIFECYCLE_CONCURRENCY (10). Writes bench/results/lifecycle-latest.md.
 * BENCH_LIFECYCLE_PROFILE=1 runs the worker under V8's profiler and prints where its threads spent their CPU while our
 * claims ran (profiles in bench/results/profiles/lifecycle-worker/).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../scripts/stack/local-stack';
import { summarize, type CpuProfile } from './cpu-profile';
import { measureLifecycle } from './phases/lifecycle';
import { baselineShape, lifecycleCpuLines } from './report';
import { startBenchStack } from './stack';

async function main(): Promise<void> {
  const claims = Number(process.env.BENCH_LIFECYCLE_CLAIMS ?? 40);
  const concurrency = Number(process.env.BENCH_LIFECYCLE_CONCURRENCY ?? 10);
  const profileDir = join(PROJECT_ROOT, 'bench', 'results', 'profiles', 'lifecycle-worker');
  const profile = process.env.BENCH_LIFECYCLE_PROFILE === '1';
  if (profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  const stack = await startBenchStack();
  try {
    const lifecycle = await measureLifecycle(stack, claims, concurrency, {
      workerNodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    await lifecycle.worker.stop();
    if (profile)
      for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
        console.log(`\nworker profile ${file}:`);
        const threadProfile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
        summarize(threadProfile, lifecycle.oursWindow, 25, 'this thread');
      }
    const report = [
      `## Lifecycle ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'})`,
      '',
      `Claims filed → paid: ${lifecycle.ours.toFixed(2)}/s; ${baselineShape(lifecycle)}: ${lifecycle.baseline.toFixed(2)}/s; ${Math.round((lifecycle.ours / lifecycle.baseline) * 100)}%.`,
      '',
      ...lifecycleCpuLines(lifecycle),
    ].join('\n');
    const dir = join(PROJECT_ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lifecycle-latest.md'), report);
    console.log(`\n${report}\n(written to bench/results/lifecycle-latest.md)`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('[bench:lifecycle] failed:', error);
    process.exit(1);
  },
);
