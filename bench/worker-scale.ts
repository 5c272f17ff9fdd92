/**
 * `npm run bench:worker`: one worker with many claims waiting in public notice, one run per worker setting. Each run
 * has a task queue and households of its own and a fresh worker process, and fills claims into a 6 h notice (filed
 * and reviewed through the API). At 100 / 1,000 / 10,000 waiting (and where the budget ends) it pauses the filling and
 * measures: the worker's RSS, its workflow cache (the SDK's metrics: cached workflows, forced evictions, cache misses),
 * and the latency of a person's action on a claim picked at random among those waiting (an objection recorded during
 * the notice: an update that replays the workflow when it is not in the cache). A run may end with `notice=` set to
 * a short notice: it then waits until every claim's notice timer has fired (most on evicted workflows) and reports
 * how many moved on to the township's review and how many workflow tasks failed. Writes bench/results/worker-latest.md.
 *
 *   BENCH_WORKER_RUNS="cache=250:10000 cache=default:2000"   space-separated runs: settings, then ':' and the claims
 *     settings (comma-separated): cache=<n>|default, sticky=<duration>, slots=<n>, bundle=prebuilt|sources,
 *     notice=<duration> (default 6h: nobody's notice ends during the run), heap=<MiB> (the worker's --max-old-space-size)
 *   BENCH_WORKER_SECONDS=2400   the filling budget of each run
 *   BENCH_WORKER_OBJECTIONS=30  objections per milestone (each on another waiting claim)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { MongoClient } from 'mongodb';
import { pollUntil } from '../common/poll';
import { PROJECT_ROOT } from '../scripts/stack/local-stack';
import { freePort } from '../scripts/stack/ports';
import { WORKFLOW_BUNDLE_OPTIONS } from '../workers/workflow-bundle';
import { call, people } from './claims';
import { latencies, processUsage, type Latencies } from './measure';
import { measureOpenClaims, type Milestone, type OpenClaimsResult } from './phases/open-claims';
import { startBenchStack, type BenchStack } from './stack';

const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits });
const OBJECTIONS_PER_MILESTONE = Number(process.env.BENCH_WORKER_OBJECTIONS ?? 30);
/** A short-notice run stops waiting when no claim has left the notice for this long. */
const STALLED_AFTER_MS = 180_000;

interface RunSpec {
  text: string;
  claims: number;
  cache: string;
  sticky?: string;
  slots?: string;
  bundle: 'prebuilt' | 'sources';
  notice?: string;
  /** The worker's V8 old-space limit (MiB): without one V8 lets the heap grow to its default (about 4 GiB here). */
  heap?: string;
}

function parseRuns(text: string): RunSpec[] {
  return text
    .trim()
    .split(/\s+/)
    .map((spec) => {
      const [settings = '', claims = '1000'] = spec.split(':');
      const kv = Object.fromEntries(settings.split(',').map((p) => p.split('=') as [string, string]));
      const known = ['cache', 'sticky', 'slots', 'bundle', 'notice', 'heap'];
      const unknown = Object.keys(kv).filter((k) => !known.includes(k));
      if (unknown.length > 0) throw new Error(`BENCH_WORKER_RUNS: unknown setting ${unknown.join(', ')} in ${spec}`);
      return {
        text: spec,
        claims: Number(claims),
        cache: kv.cache ?? 'default',
        ...(kv.sticky ? { sticky: kv.sticky } : {}),
        ...(kv.slots ? { slots: kv.slots } : {}),
        bundle: kv.bundle === 'prebuilt' ? 'prebuilt' : 'sources',
        ...(kv.notice ? { notice: kv.notice } : {}),
        ...(kv.heap ? { heap: kv.heap } : {}),
      };
    });
}

interface CacheMetrics {
  cached: number;
  evictions: number;
  misses: number;
  failedTasks: number;
  nondeterministicTasks: number;
}

/** The worker's cache figures from its Prometheus endpoint (Temporal Core's metrics, prefix temporal_). */
async function cacheMetrics(url: string): Promise<CacheMetrics> {
  const text = await (await fetch(url)).text();
  /** The sum over labels of every sample of the metric (a counter's name may end in _total). */
  const sum = (name: string, label = '') =>
    text
      .split('\n')
      .filter((line) => [name, `${name}_total`].includes(line.split(/[{ ]/)[0]!) && line.includes(label))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return {
    cached: sum('temporal_sticky_cache_size'),
    evictions: sum('temporal_sticky_cache_total_forced_eviction'),
    misses: sum('temporal_sticky_cache_miss'),
    failedTasks: sum('temporal_workflow_task_execution_failed'),
    nondeterministicTasks: sum('temporal_workflow_task_execution_failed', 'failure_reason="NonDeterminismError"'),
  };
}

interface Probe {
  rssMb: number;
  cache: CacheMetrics;
  objection: Latencies;
}

/** At a milestone: RSS, the cache's figures, and objections on claims picked at random among those waiting. */
function probeWith(stack: BenchStack, workerPid: number, metricsUrl: string) {
  return async ({ apiUrl, waiting }: Milestone): Promise<Probe> => {
    const token = await stack.token(people.village);
    const samples: number[] = [];
    for (let i = 0; i < OBJECTIONS_PER_MILESTONE && waiting.length > 0; i++) {
      const [claimNo] = waiting.splice(Math.floor(Math.random() * waiting.length), 1);
      const t = performance.now();
      const res = await call(apiUrl, token, 'POST', `/claims/${claimNo}/actions/object`, {
        objectorName: '王某某',
        reason: '申报损失与实际不符（测试）',
      });
      if (res.status !== 200) throw new Error(`objection ${claimNo}: ${res.status} ${JSON.stringify(res.body)}`);
      samples.push(performance.now() - t);
    }
    return {
      rssMb: processUsage(workerPid).rssBytes / 2 ** 20,
      cache: await cacheMetrics(metricsUrl),
      objection: latencies(samples),
    };
  };
}

async function prebuiltBundle(): Promise<string> {
  const dir = join(PROJECT_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS);
  writeFileSync(path, code);
  return path;
}

interface RunResult {
  spec: RunSpec;
  rssAtRestMb: number;
  result: OpenClaimsResult<Probe>;
  timers?: Pick<CacheMetrics, 'failedTasks' | 'nondeterministicTasks' | 'misses'> & {
    waiting: number;
    movedOn: number;
    stillInNotice: number;
    seconds: number;
  };
}

async function runOne(stack: BenchStack, spec: RunSpec, index: number, budgetSeconds: number, bundlePath: () => Promise<string>) {
  const taskQueue = `bench-worker-${index}-${Date.now()}`;
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const env: NodeJS.ProcessEnv = {
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKER_METRICS_ADDRESS: metricsAddress,
    ...(spec.cache === 'default' ? {} : { WORKER_MAX_CACHED_WORKFLOWS: spec.cache }),
    ...(spec.sticky ? { WORKER_STICKY_QUEUE_TIMEOUT: spec.sticky } : {}),
    ...(spec.slots ? { WORKER_WORKFLOW_TASK_SLOTS: spec.slots } : {}),
    ...(spec.bundle === 'prebuilt' ? { WORKFLOW_BUNDLE: await bundlePath() } : {}),
    ...(spec.heap ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${spec.heap}`.trim() } : {}),
  };
  const metricsUrl = `http://${metricsAddress}/metrics`;
  const worker = stack.startWorker(env);
  try {
    await pollUntil(
      'the worker to serve its metrics',
      () =>
        fetch(metricsUrl).then(
          (r) => r.ok || undefined,
          () => undefined,
        ),
      {
        timeoutMs: 120_000,
        intervalMs: 500,
      },
    );
    await new Promise((r) => setTimeout(r, 5_000));
    const rssAtRestMb = processUsage(worker.pid).rssBytes / 2 ** 20;
    const noticeEndsSoon = spec.notice !== undefined;
    const result = await measureOpenClaims(stack, worker, {
      target: spec.claims,
      budgetSeconds,
      concurrency: 12,
      apiEnv: { TEMPORAL_TASK_QUEUE: taskQueue, ...(spec.notice ? { CLAIM_NOTICE_PERIOD: spec.notice } : {}) },
      firstHousehold: 200_000 + index * 1_000,
      // with a short notice the claims leave it on their own: no probes, the timers are the point
      ...(noticeEndsSoon ? { milestones: [] } : { probe: probeWith(stack, worker.pid, metricsUrl) }),
    });
    const run: RunResult = { spec, rssAtRestMb, result };
    if (noticeEndsSoon) run.timers = await untilNoticesEnd(stack, result.claimNos, metricsUrl);
    return run;
  } finally {
    await worker.stop();
  }
}

/**
 * Waits until none of the run's claims is in public notice any more (the read model), or until their count has not
 * moved for STALLED_AFTER_MS (claims whose timer task keeps failing stay in the notice for ever: the run reports them
 * instead of waiting); counts those now waiting for the township.
 */
async function untilNoticesEnd(stack: BenchStack, claimNos: string[], metricsUrl: string) {
  const started = Date.now();
  const client = await MongoClient.connect(stack.servers.mongodbUri);
  const claims = client.db().collection('claims');
  const count = (stage: string) => claims.countDocuments({ claimNo: { $in: claimNos }, stage });
  try {
    let last = { inNotice: Number.POSITIVE_INFINITY, at: Date.now() };
    const stillInNotice = await pollUntil(
      'every notice timer to fire, or the claims left in notice to stop moving',
      async () => {
        const inNotice = await count('public_notice');
        if (inNotice < last.inNotice) last = { inNotice, at: Date.now() };
        return inNotice === 0 || Date.now() - last.at > STALLED_AFTER_MS ? inNotice : undefined;
      },
      { timeoutMs: 3_600_000, intervalMs: 2_000 },
    );
    const { failedTasks, nondeterministicTasks, misses } = await cacheMetrics(metricsUrl);
    return {
      waiting: claimNos.length,
      movedOn: await count('township_review'),
      stillInNotice,
      seconds: (Date.now() - started) / 1000,
      failedTasks,
      nondeterministicTasks,
      misses,
    };
  } finally {
    await client.close();
  }
}

function settingsText(spec: RunSpec): string {
  return [
    `cache ${spec.cache}`,
    spec.sticky ? `sticky ${spec.sticky}` : '',
    spec.slots ? `slots ${spec.slots}` : '',
    spec.bundle === 'prebuilt' ? 'prebuilt bundle' : 'bundled at start',
    spec.notice ? `notice ${spec.notice}` : '',
    spec.heap ? `heap ${spec.heap} MiB` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function render(runs: RunResult[], minutes: number): string {
  const rows = runs.flatMap(({ spec, rssAtRestMb, result }) =>
    result.at.flatMap((m) =>
      m.probe === undefined
        ? []
        : `| ${settingsText(spec)} | ${n(m.open)} | ${n(rssAtRestMb)} → ${n(m.probe.rssMb)} | ${n(m.probe.cache.cached)} / ${n(m.probe.cache.evictions)} / ${n(m.probe.cache.misses)} | ${n(m.probe.objection.p50)} / ${n(m.probe.objection.p99)} | ${n(m.update.p50)} / ${n(m.update.p99)} |`,
    ),
  );
  const timers = runs.filter((r) => r.timers);
  return [
    `# Worker scale, ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. ` +
      `Whole run: ${n(minutes, 1)} min. Claims filed and reviewed through the API into a 6 h notice; the filling pauses at each milestone.`,
    '',
    '| worker settings | claims waiting | worker RSS at rest → now (MB) | workflows cached / evicted / cache misses (so far) | objection on a random waiting claim p50 / p99 (ms) | review of a new claim while filling p50 / p99 (ms) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...runs.map(
      ({ spec, result }) =>
        `- ${settingsText(spec)}: ${n(result.reached)} claims filed in ${n(result.seconds)} s (${n(result.reached / result.seconds, 1)}/s); worker idle CPU afterwards ${n(result.worker.idleCpuCores, 2)} cores`,
    ),
    ...(timers.length > 0
      ? [
          '',
          '| worker settings | claims in notice | moved on to township review after their timer | still in notice | failed workflow tasks (of them nondeterminism) | cache misses (replays from history) | waited (s) |',
          '| --- | --- | --- | --- | --- | --- | --- |',
          ...timers.map(
            ({ spec, timers: t }) =>
              `| ${settingsText(spec)} | ${n(t!.waiting)} | ${n(t!.movedOn)} | ${n(t!.stillInNotice)} | ${n(t!.failedTasks)} (${n(t!.nondeterministicTasks)}) | ${n(t!.misses)} | ${n(t!.seconds)} |`,
          ),
        ]
      : []),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const runs = parseRuns(process.env.BENCH_WORKER_RUNS ?? 'cache=250:10000 cache=default:2000');
  const budgetSeconds = Number(process.env.BENCH_WORKER_SECONDS ?? 2_400);
  const started = Date.now();
  const step = (text: string) => console.log(`[bench:worker ${Math.round((Date.now() - started) / 1000)} s] ${text}`);
  step('starting servers and simulators');
  const stack = await startBenchStack();
  let bundle: Promise<string> | undefined;
  const results: RunResult[] = [];
  const dir = join(PROJECT_ROOT, 'bench', 'results');
  try {
    for (const [i, spec] of runs.entries()) {
      step(`${settingsText(spec)}: up to ${n(spec.claims)} claims into public notice (budget ${budgetSeconds} s)`);
      const run = await runOne(stack, spec, i, budgetSeconds, () => (bundle ??= prebuiltBundle()));
      results.push(run);
      step(`${settingsText(spec)}: ${n(run.result.reached)} filed, worker RSS ${n(run.result.worker.rssAfterMb)} MB`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'worker-latest.md'), render(results, (Date.now() - started) / 60_000));
    }
  } finally {
    await stack.stop();
  }
  const report = render(results, (Date.now() - started) / 60_000);
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
