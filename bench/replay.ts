/**
 * `npm run bench:replay`: what a replay costs, the price of every action on a claim the worker evicted from its cache
 * (issue #20). Replays recorded claim histories (test/fixtures/histories) with the production workflow bundle and,
 * as the same run's baseline, the same bundle without its sandbox prelude (workers/workflow-bundle.ts: V8 then
 * captures a stack, source-mapped, for every promise the workflow creates). The two alternate in rounds so drift on
 * a shared machine hits both. Prints CPU milliseconds per replay (all of the process's threads) and the wall time.
 * BENCH_REPLAYS (50) replays per history and bundle per round, BENCH_REPLAY_ROUNDS (2), BENCH_REPLAY_HISTORIES (names
 * of fixtures, space-separated; the three below by default).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createEncryptionCodec } from '../common/crypto/payload-codec';
import { startTracing } from '../common/tracing';
import { tracingPlugin } from '../workers/tracing';
import { WORKFLOW_BUNDLE_OPTIONS } from '../workers/workflow-bundle';
import { HISTORY_FIXTURES } from '../test/helpers/histories';
import { TEST_PII_KEY } from '../test/helpers/claim-harness';

const replays = Number(process.env.BENCH_REPLAYS ?? 50);
const rounds = Number(process.env.BENCH_REPLAY_ROUNDS ?? 2);
/** A claim waiting in public notice (the bench's 10,000 waiting claims are in this stage), and two paid ones. */
const HISTORIES = process.env.BENCH_REPLAY_HISTORIES?.split(/\s+/).filter(Boolean) ?? [
  'evicted-in-notice-after-refused-review',
  'paid-happy-path',
  'traced-paid-after-queries',
];

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

async function replayCost(bundle: WorkflowBundleWithSourceMap, name: string) {
  const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORY_FIXTURES, `${name}.json`), 'utf8')));
  const histories = Array.from({ length: replays }, (_, i) => ({ workflowId: `${name}-${i}`, history }));
  const cpu = process.cpuUsage();
  const started = performance.now();
  let failed = 0;
  for await (const result of Worker.runReplayHistories(
    {
      workflowBundle: bundle,
      dataConverter: { payloadCodecs: [createEncryptionCodec(TEST_PII_KEY)] },
      plugins: [tracingPlugin(startTracing({ serviceName: 'bench-replay' }))],
    },
    histories,
  ))
    if (result.error) failed += 1;
  const used = process.cpuUsage(cpu);
  if (failed > 0) throw new Error(`${failed} of ${replays} replays of ${name} failed`);
  return {
    events: history.events?.length ?? 0,
    cpuMs: (used.user + used.system) / 1000 / replays,
    wallMs: (performance.now() - started) / replays,
  };
}

async function main(): Promise<void> {
  const bundles = {
    production: await bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: silent }),
    'without the prelude': await bundleWorkflowCode({
      ...WORKFLOW_BUNDLE_OPTIONS,
      webpackConfigHook: (config) => config,
      logger: silent,
    }),
  };
  const samples = new Map<string, { events: number; cpu: number[]; wall: number[] }>();
  for (let round = 0; round < rounds; round++)
    for (const name of HISTORIES)
      for (const [label, bundle] of Object.entries(bundles)) {
        const cost = await replayCost(bundle, name);
        const key = `${name}\t${label}`;
        const s = samples.get(key) ?? { events: cost.events, cpu: [], wall: [] };
        s.cpu.push(cost.cpuMs);
        s.wall.push(cost.wallMs);
        samples.set(key, s);
      }
  const range = (v: number[]) =>
    Math.min(...v) === Math.max(...v) ? v[0]!.toFixed(0) : `${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)}`;
  console.log(
    `\nReplay cost, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} × ${cpus()[0]?.model.trim()}: ` +
      `${replays} replays per history and bundle, ${rounds} rounds\n`,
  );
  console.log('| history | events | bundle | CPU per replay (ms) | wall per replay (ms) |');
  console.log('| ------- | ------ | ------ | ------------------- | -------------------- |');
  for (const [key, s] of samples) {
    const [name, label] = key.split('\t');
    console.log(`| ${name} | ${s.events} | ${label} | ${range(s.cpu)} | ${range(s.wall)} |`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
