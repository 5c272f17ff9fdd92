/** The benchmark report: one markdown table (figure, ours, baseline, ratio, target) plus the details behind it. */
import type { Latencies } from './measure';
import type { ApiLatencyResult, LatencyRun } from './phases/api-latency';
import type { CpuPerClaim, IntakeResult } from './phases/intake';
import type { LifecycleResult } from './phases/lifecycle';
import type { OpenClaimsResult } from './phases/open-claims';

export interface BenchFigures {
  machine: string;
  servers: string;
  date: string;
  totalSeconds: number;
  calculator: { perSecond: number };
  intake: IntakeResult;
  lifecycle: LifecycleResult;
  open: OpenClaimsResult;
  latency: ApiLatencyResult;
}

const n = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 }) : '—';
const pct = (ratio: number) => (Number.isFinite(ratio) ? `${Math.round(ratio * 100)}%` : '—');
const ms = (l: Latencies) => `${n(l.p50, 0)} / ${n(l.p95, 0)} / ${n(l.p99, 0)} ms`;
const verdict = (met: boolean) => (met ? '✅' : '❌');

function latencyRow(name: string, run: { ours: LatencyRun; baseline: LatencyRun }): string {
  const met =
    run.ours.mode === 'open loop at 50/s' &&
    run.ours.latency.p99 <= 50 &&
    run.ours.latency.p99 <= 1.5 * run.baseline.latency.p99 &&
    run.ours.achievedPerSecond >= 0.8 * run.baseline.achievedPerSecond;
  const rate = (r: LatencyRun) =>
    `${ms(r.latency)} at ${n(r.achievedPerSecond)}/s${r.mode.startsWith('saturated') ? ' (saturated)' : ''}`;
  return `| ${name}, p50 / p95 / p99 | ${rate(run.ours)} | ${rate(run.baseline)} | ${n(run.ours.latency.p99 / run.baseline.latency.p99, 2)}× p99 | p99 ≤ 50 ms and ≤ 1.5× at 50/s, rate ≥ 80% ${verdict(met)} |`;
}

/** What the lifecycle's baseline workflow repeats of the warm-up claim. */
export const baselineShape = ({ shape }: LifecycleResult): string =>
  `bare workflow (${shape.activities} activities, ${shape.updates} updates, 1 timer; the warm-up claim's ${shape.runs} runs fired ${shape.timers})`;

/** Where a claim's lifecycle costs CPU, beside the baseline workflow's: milliseconds per claim, by process. */
export function lifecycleCpuLines(lifecycle: LifecycleResult): string[] {
  const o = lifecycle.cpu.ours;
  const b = lifecycle.cpu.baseline;
  const r = lifecycle.requests;
  const sum = (c: Record<string, number>) => Object.values(c).reduce((a, v) => a + v, 0);
  return [
    `Where a claim's lifecycle costs CPU: milliseconds of CPU per claim filed → paid (${lifecycle.claims} claims, ${lifecycle.concurrency} at a time), by process, beside the baseline workflow's:`,
    '',
    '| | API | worker | simulators | FerretDB | PostgreSQL | Temporal | load generator | total |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| fangpin | ${n(o.api)} | ${n(o.worker)} | ${n(o.simulators)} | ${n(o.ferretdb)} | ${n(o.postgres)} | ${n(o.temporal)} | ${n(o.loadGenerator)} | ${n(sum(o))} |`,
    `| baseline | — | ${n(b.worker)} | — | — | — | ${n(b.temporal)} | ${n(b.loadGenerator)} | ${n(sum(b))} |`,
    '',
    `Requests per claim: ours ${n(r.ours.attempts)} staff actions sent through the API (${n(r.ours.refused)} refused: the stage was not reached yet) and ${n(r.ours.polls)} reads until paid (the insurer's and the bank's updates come from their simulators); the baseline ${n(r.baseline.attempts)} updates (${n(r.baseline.refused)} refused) and a wait on its result.`,
  ];
}

export function renderReport(f: BenchFigures): string {
  const { intake, lifecycle, open, latency } = f;
  const first = open.at[0];
  const last = open.at.at(-1);
  const indexed = latency.plans.filter((p) => p.usesIndex).length;
  const lines = [
    `## Benchmark ${f.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${f.machine}. Servers: ${f.servers}. Whole run: ${n(f.totalSeconds / 60)} min.`,
    '',
    '| figure | ours | baseline | ratio | target |',
    '| --- | --- | --- | --- | --- |',
    `| Intake: claims filed per second through the API (best of concurrency 1/4/16) | ${n(intake.api)}/s | ${n(intake.raw)}/s raw \`workflow.start\` | ${pct(intake.api / intake.raw)} | ≥ 80% ${verdict(intake.api / intake.raw >= 0.8)} |`,
    `| Lifecycle: claims filed → paid per second (${lifecycle.claims} claims, ${lifecycle.concurrency} at a time) | ${n(lifecycle.ours, 2)}/s | ${n(lifecycle.baseline, 2)}/s ${baselineShape(lifecycle)} | ${pct(lifecycle.ours / lifecycle.baseline)} | ≥ 60% ${verdict(lifecycle.ours / lifecycle.baseline >= 0.6)} |`,
    latencyRow(`List (county + stage, ${n(latency.claims, 0)} claims / ${n(latency.events, 0)} events)`, latency.list),
    latencyRow('List, second page (cursor)', latency.page2),
    latencyRow('Get with timeline', latency.get),
    `| List queries served by an index (plans below) | ${indexed} of ${latency.plans.length} | — | — | all ${verdict(indexed === latency.plans.length)} |`,
    `| Worker RSS with ${n(open.reached, 0)} claims waiting in public notice | ${n(open.worker.rssAfterMb, 0)} MB | ${n(open.worker.rssBeforeMb, 0)} MB before | ${n(open.worker.rssAfterMb / open.worker.rssBeforeMb, 2)}× | (measured; target ${n(open.target, 0)} claims ${verdict(open.reached >= open.target)}) |`,
    `| Worker CPU, idle with them waiting | ${n(open.worker.idleCpuCores * 100)}% of a core | — | — | (measured) |`,
    first && last
      ? `| Filing latency p50 at ${n(last.open, 0)} vs ${n(first.open, 0)} open claims | ${n(last.start.p50, 0)} ms | ${n(first.start.p50, 0)} ms | ${n(last.start.p50 / first.start.p50, 2)}× | flat (≤ 1.5×) ${verdict(last.start.p50 / first.start.p50 <= 1.5)} |`
      : '| Filing latency vs open claims | — | — | — | — |',
    first && last
      ? `| Update (village review) latency p50 at ${n(last.open, 0)} vs ${n(first.open, 0)} open claims | ${n(last.update.p50, 0)} ms | ${n(first.update.p50, 0)} ms | ${n(last.update.p50 / first.update.p50, 2)}× | flat (≤ 1.5×) ${verdict(last.update.p50 / first.update.p50 <= 1.5)} |`
      : '| Update latency vs open claims | — | — | — | — |',
    `| Calculator: assessments per second (eligibility + payout, one core) | ${n(f.calculator.perSecond, 0)}/s | ${n(intake.api)}/s API intake | ${n(f.calculator.perSecond / intake.api, 0)}× | ≥ 100× intake ${verdict(f.calculator.perSecond / intake.api >= 100)} |`,
    '',
    '<details><summary>Details</summary>',
    '',
    '| intake concurrency | API filings/s | API p99 | raw starts/s | raw p99 |',
    '| --- | --- | --- | --- | --- |',
    ...intake.levels.map(
      (l) =>
        `| ${l.concurrency} | ${n(l.apiPerSecond)} | ${n(l.apiP99Ms, 0)} ms | ${n(l.rawPerSecond)} | ${n(l.rawP99Ms, 0)} ms |`,
    ),
    '',
    'Where an intake costs CPU: milliseconds of CPU per claim filed through the API, and per raw `workflow.start`, by process:',
    '',
    '| intake concurrency | API process | FerretDB | PostgreSQL | Temporal | load generator | total | raw start: Temporal / load generator / total |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...intake.levels.map((l) => {
      const total = (c: CpuPerClaim) => c.api + c.ferretdb + c.postgres + c.temporal + c.loadGenerator;
      const a = l.apiCpu;
      const r = l.rawCpu;
      return `| ${l.concurrency} | ${n(a.api)} | ${n(a.ferretdb)} | ${n(a.postgres)} | ${n(a.temporal)} | ${n(a.loadGenerator)} | ${n(total(a))} | ${n(r.temporal)} / ${n(r.loadGenerator)} / ${n(total(r))} |`;
    }),
    '',
    ...lifecycleCpuLines(lifecycle),
    '',
    `Open work: ${n(open.reached, 0)} of ${n(open.target, 0)} claims reached public notice in ${n(open.seconds, 0)} s.`,
    '',
    '| open claims | filing p50 / p95 / p99 | review p50 / p95 / p99 |',
    '| --- | --- | --- |',
    ...open.at.map((a) => `| ${n(a.open, 0)} | ${ms(a.start)} | ${ms(a.update)} |`),
    '',
    `Read model filled to ${n(latency.claims, 0)} claims and ${n(latency.events, 0)} audit events in ${n(latency.loadSeconds, 0)} s; the servers were idle again ${n(latency.settleSeconds, 0)} s later, when the latencies were measured.`,
    '',
    '| list query | plan | index |',
    '| --- | --- | --- |',
    ...latency.plans.map((p) => `| ${p.query} | ${p.plan} | ${p.usesIndex ? 'yes' : 'no'} |`),
    '',
    '</details>',
  ];
  return lines.join('\n');
}
