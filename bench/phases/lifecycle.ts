/**
 * Lifecycle: claims driven from filing to paid per second, the staff approvals automated through the API and the
 * insurer and bank answering from their simulators, against a baseline workflow with the same number of
 * activities, updates and timer and no business logic, driven the same way on the same Temporal server.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { PROJECT_ROOT } from '../../scripts/stack/local-stack';
import type { Actor } from '../../workflows/claim/types';
import { gateUpdate, type BaselineInput } from '../baseline/workflows';
import { benchHousehold, call, people, propertyClaim, uploadFiles } from '../claims';
import type { BenchStack, Running } from '../stack';

const RETRY_MS = 50;
const NOTICE_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The happy path's shape, counted from its recorded history (test/fixtures/histories/paid-happy-path.json). */
export function happyPathShape(): { activities: number; updates: number; timers: number } {
  const history = JSON.parse(readFileSync(join(PROJECT_ROOT, 'test/fixtures/histories/paid-happy-path.json'), 'utf8')) as {
    events: { eventType: string }[];
  };
  const count = (type: string) => history.events.filter((e) => e.eventType === type).length;
  return {
    activities: count('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED'),
    updates: count('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED'),
    timers: count('EVENT_TYPE_TIMER_FIRED'),
  };
}

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

export interface LifecycleResult {
  claims: number;
  concurrency: number;
  ours: number;
  baseline: number;
  shape: ReturnType<typeof happyPathShape>;
  worker: Running;
  apiUrl: string;
  claimNos: string[];
}

export async function measureLifecycle(stack: BenchStack, total: number, concurrency: number): Promise<LifecycleResult> {
  const shape = happyPathShape();
  const worker = stack.startWorker();
  const api = await stack.startApi({ CLAIM_NOTICE_PERIOD: `${NOTICE_MS}ms`, CLAIM_PAYOUT_CHECK_AFTER: '20s' });
  const filer = await stack.token(people.filer);
  const households = Array.from({ length: total }, (_, i) => benchHousehold(1_000 + i));
  for (const household of households) {
    const put = await call(api.url, filer, 'PUT', `/households/${household.householdId}`, household);
    if (put.status >= 300) throw new Error(`household: ${JSON.stringify(put.body)}`);
    await uploadFiles(api.url, filer, propertyClaim(household, 0).documents); // the clerk's uploads, before the clock
  }
  const act = async (claimNo: string, action: string, actor: Actor) => {
    const token = await stack.token(actor);
    for (;;) {
      const res = await call(api.url, token, 'POST', `/claims/${claimNo}/actions/${action}`, {});
      if (res.status === 200) return;
      if (res.status !== 409) throw new Error(`${action} on ${claimNo}: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(RETRY_MS);
    }
  };
  const county = await stack.token(people.county);
  const claimNos: string[] = [];
  const oursSeconds = await pipelines(total, concurrency, async (i) => {
    const filed = await call(api.url, filer, 'POST', '/claims', propertyClaim(households[i]!, 0));
    if (filed.status !== 202) throw new Error(`filing: ${filed.status} ${JSON.stringify(filed.body)}`);
    const claimNo = filed.body.claimNo as string;
    claimNos.push(claimNo);
    await act(claimNo, 'review', people.village);
    await act(claimNo, 'approve', people.township);
    await act(claimNo, 'approve', people.county);
    for (;;) {
      const res = await call(api.url, county, 'GET', `/claims/${claimNo}`);
      const claim = res.body.claim as { status?: string } | undefined;
      if (claim?.status === 'paid') return;
      if (claim?.status && claim.status !== 'open') throw new Error(`${claimNo} ended ${claim.status}`);
      await sleep(RETRY_MS * 4);
    }
  });

  const baselineWorker = stack.startProcess('bench/baseline/worker.ts', { TEMPORAL_TASK_QUEUE: 'bench-baseline' });
  const connection = await Connection.connect({ address: stack.servers.temporalAddress });
  const perGate = Array.from(
    { length: shape.updates },
    (_, g) => Math.floor(shape.activities / shape.updates) + (g < shape.activities % shape.updates ? 1 : 0),
  );
  let baselineSeconds: number;
  try {
    const client = new Client({ connection });
    // warm-up: the baseline worker bundles its workflow at start
    const input: BaselineInput = { activitiesPerGate: perGate, timerMs: NOTICE_MS };
    const drive = async () => {
      const handle = await client.workflow.start('baselineClaimWorkflow', {
        taskQueue: 'bench-baseline',
        workflowId: `baseline-${randomUUID()}`,
        args: [input],
      });
      for (let gate = 0; gate < shape.updates; gate++) {
        for (;;) {
          try {
            await handle.executeUpdate(gateUpdate, { args: [gate] });
            break;
          } catch (error) {
            if (!(error instanceof WorkflowUpdateFailedError)) throw error;
            await sleep(RETRY_MS);
          }
        }
      }
      await handle.result();
    };
    await drive();
    baselineSeconds = await pipelines(total, concurrency, drive);
  } finally {
    await connection.close();
    await baselineWorker.stop();
    await api.stop();
  }
  return {
    claims: total,
    concurrency,
    ours: total / oursSeconds,
    baseline: total / baselineSeconds,
    shape,
    worker,
    apiUrl: api.url,
    claimNos,
  };
}
