/**
 * Lifecycle: claims driven from filing to paid per second, the staff approvals automated through the API and the
 * insurer and bank answering from their simulators, against a baseline workflow with the same number of
 * activities and updates (counted from a warm-up claim's runs), the notice timer and no business logic, driven the same
 * way on the same Temporal server. Both report the CPU each process spends per claim.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Actor } from '../../workflows/claim/types';
import { claimWorkflowId } from '../../workflows/ids';
import { gateUpdate, type BaselineInput } from '../baseline/workflows';
import { benchHousehold, call, people, propertyClaim, uploadFiles } from '../claims';
import { monotonicUs, type Window } from '../cpu-profile';
import { cpuDuring } from '../measure';
import type { BenchStack, Running } from '../stack';

const RETRY_MS = 50;
const NOTICE_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LifecycleShape {
  activities: number;
  updates: number;
  timers: number;
  runs: number;
}

/**
 * A claim's happy-path shape, counted from the histories of all its runs (it continues as new at its waits): the
 * activities it scheduled, the updates it accepted and the timers that fired.
 */
export async function claimShape(client: Client, workflowId: string): Promise<LifecycleShape> {
  const shape: LifecycleShape = { activities: 0, updates: 0, timers: 0, runs: 0 };
  let runId: string | undefined;
  do {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    shape.runs += 1;
    for (const e of events) {
      if (e.activityTaskScheduledEventAttributes) shape.activities += 1;
      if (e.workflowExecutionUpdateAcceptedEventAttributes) shape.updates += 1;
      if (e.timerFiredEventAttributes) shape.timers += 1;
    }
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  } while (runId);
  return shape;
}

const noRequests = (): LifecycleRequests => ({ attempts: 0, refused: 0, polls: 0 });
const perClaimCounts = (sent: LifecycleRequests, claims: number): LifecycleRequests => ({
  attempts: sent.attempts / claims,
  refused: sent.refused / claims,
  polls: sent.polls / claims,
});

async function pipelines(total: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await one(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** CPU milliseconds per claim driven from filing to paid, by process. */
export interface LifecycleCpu {
  ours: Record<'api' | 'worker' | 'simulators' | 'ferretdb' | 'postgres' | 'temporal' | 'loadGenerator', number>;
  baseline: Record<'worker' | 'temporal' | 'loadGenerator', number>;
}

/** What the bench sent per claim: on our side through the API, on the baseline's to Temporal. */
export interface LifecycleRequests {
  /** staff actions (ours) or gate updates (baseline) sent, the refused ones (stage not reached yet) included */
  attempts: number;
  refused: number;
  /** reads of the claim until it was paid (the baseline waits on its result) */
  polls: number;
}

export interface LifecycleResult {
  claims: number;
  concurrency: number;
  ours: number;
  baseline: number;
  cpu: LifecycleCpu;
  requests: { ours: LifecycleRequests; baseline: LifecycleRequests };
  /** When our claims ran, on the clock of V8's profiler (for a profile of the worker). */
  oursWindow: Window;
  /** The warm-up claim's shape, which the baseline workflow repeats. */
  shape: LifecycleShape;
  worker: Running;
  apiUrl: string;
  claimNos: string[];
}

export async function measureLifecycle(
  stack: BenchStack,
  total: number,
  concurrency: number,
  { workerNodeArgs = [] as string[] } = {},
): Promise<LifecycleResult> {
  const worker = stack.startWorker({}, workerNodeArgs);
  const api = await stack.startApi({ CLAIM_NOTICE_PERIOD: `${NOTICE_MS}ms`, CLAIM_PAYOUT_CHECK_AFTER: '20s' });
  const filer = await stack.token(people.filer);
  const households = Array.from({ length: total + 1 }, (_, i) => benchHousehold(1_000 + i)); // one for the warm-up
  for (const household of households) {
    const put = await call(api.url, filer, 'PUT', `/households/${household.householdId}`, household);
    if (put.status >= 300) throw new Error(`household: ${JSON.stringify(put.body)}`);
    await uploadFiles(api.url, filer, propertyClaim(household, 0).documents); // the clerk's uploads, before the clock
  }
  let sent = noRequests();
  const act = async (claimNo: string, action: string, actor: Actor) => {
    const token = await stack.token(actor);
    for (;;) {
      sent.attempts += 1;
      const res = await call(api.url, token, 'POST', `/claims/${claimNo}/actions/${action}`, {});
      if (res.status === 200) return;
      sent.refused += 1;
      if (res.status !== 409) throw new Error(`${action} on ${claimNo}: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(RETRY_MS);
    }
  };
  const county = await stack.token(people.county);
  const claimNos: string[] = [];
  const driveClaim = async (household: (typeof households)[number], record: boolean): Promise<string> => {
    const filed = await call(api.url, filer, 'POST', '/claims', propertyClaim(household, 0));
    if (filed.status !== 202) throw new Error(`filing: ${filed.status} ${JSON.stringify(filed.body)}`);
    const claimNo = filed.body.claimNo as string;
    if (record) claimNos.push(claimNo);
    await act(claimNo, 'review', people.village);
    await act(claimNo, 'approve', people.township);
    await act(claimNo, 'approve', people.county);
    for (;;) {
      sent.polls += 1;
      const res = await call(api.url, county, 'GET', `/claims/${claimNo}`);
      const claim = res.body.claim as { status?: string } | undefined;
      if (claim?.status === 'paid') return claimNo;
      if (claim?.status && claim.status !== 'open') throw new Error(`${claimNo} ended ${claim.status}`);
      await sleep(RETRY_MS * 4);
    }
  };
  // warm-up, as for the baseline (the worker bundles its workflows at start); its runs give the baseline its shape
  const connection = await Connection.connect({ address: stack.servers.temporalAddress });
  const client = new Client({ connection });
  const shape = await claimShape(client, claimWorkflowId(await driveClaim(households.pop()!, false)));
  sent = noRequests(); // the warm-up's requests left out
  const sims = Object.fromEntries(stack.simulators.map((s, i) => [`sim${i}`, s.pid]));
  const oursWindow: Window = { fromUs: monotonicUs(), toUs: 0 };
  const { result: oursSeconds, cpuSeconds: oursCpu } = await cpuDuring({ api: api.pid, worker: worker.pid, ...sims }, () =>
    pipelines(total, concurrency, async (i) => void (await driveClaim(households[i]!, true))),
  );
  oursWindow.toUs = monotonicUs();
  const oursRequests = perClaimCounts(sent, total);

  const baselineWorker = stack.startProcess('bench/baseline/worker.ts', { TEMPORAL_TASK_QUEUE: 'bench-baseline' });
  const perGate = Array.from(
    { length: shape.updates },
    (_, g) => Math.floor(shape.activities / shape.updates) + (g < shape.activities % shape.updates ? 1 : 0),
  );
  let baselineSeconds: number;
  let baselineCpu: Record<string, number>;
  let baselineRequests: LifecycleRequests;
  try {
    // warm-up: the baseline worker bundles its workflow at start
    const input: BaselineInput = { activitiesPerGate: perGate, timerMs: NOTICE_MS };
    let baselineSent = noRequests();
    const drive = async () => {
      const handle = await client.workflow.start('baselineClaimWorkflow', {
        taskQueue: 'bench-baseline',
        workflowId: `baseline-${randomUUID()}`,
        args: [input],
      });
      for (let gate = 0; gate < shape.updates; gate++) {
        for (;;) {
          try {
            baselineSent.attempts += 1;
            await handle.executeUpdate(gateUpdate, { args: [gate] });
            break;
          } catch (error) {
            if (!(error instanceof WorkflowUpdateFailedError)) throw error;
            baselineSent.refused += 1;
            await sleep(RETRY_MS);
          }
        }
      }
      await handle.result();
    };
    await drive();
    baselineSent = noRequests(); // the warm-up's requests left out
    ({ result: baselineSeconds, cpuSeconds: baselineCpu } = await cpuDuring({ worker: baselineWorker.pid }, () =>
      pipelines(total, concurrency, drive),
    ));
    baselineRequests = perClaimCounts(baselineSent, total);
  } finally {
    await connection.close();
    await baselineWorker.stop();
    await api.stop();
  }
  const perClaim = (seconds = 0) => (seconds * 1000) / total;
  return {
    claims: total,
    concurrency,
    ours: total / oursSeconds,
    baseline: total / baselineSeconds,
    requests: { ours: oursRequests, baseline: baselineRequests },
    oursWindow,
    cpu: {
      ours: {
        api: perClaim(oursCpu.api),
        worker: perClaim(oursCpu.worker),
        simulators: perClaim(Object.keys(sims).reduce((sum, name) => sum + (oursCpu[name] ?? 0), 0)),
        ferretdb: perClaim(oursCpu.ferretdb),
        postgres: perClaim(oursCpu.postgres),
        temporal: perClaim(oursCpu.temporal),
        loadGenerator: perClaim(oursCpu.loadGenerator),
      },
      baseline: {
        worker: perClaim(baselineCpu.worker),
        temporal: perClaim(baselineCpu.temporal),
        loadGenerator: perClaim(baselineCpu.loadGenerator),
      },
    },
    shape,
    worker,
    apiUrl: api.url,
    claimNos,
  };
}
