/**
 * A claim's run continues as new when it waits with a long history (workflows/claim/workflow.ts, `restartIfLong`):
 * the next run starts from the state alone, so a worker that evicted the claim replays a few events before it applies
 * a person's action. Nothing of the claim may change by it: the trail, the read model, the notice's deadline, the
 * filing's memo and search attributes, the money; and each run's history replays.
 */
import { Worker } from '@temporalio/worker';
import { pollUntil } from '../../common/poll';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { createEncryptionCodec } from '../../common/crypto/payload-codec';
import { startTracing } from '../../common/tracing';
import { claimWorkflowId } from '../../workflows/ids';
import { tracingPlugin } from '../../workers/tracing';
import { recordHistory } from '../helpers/histories';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, TEST_PII_KEY, workflowBundle, type ClaimHarness } from '../helpers/claim-harness';

type History = temporal.api.history.v1.IHistory;

describe('a claim continues as new at its waits', () => {
  let h: ClaimHarness;

  beforeAll(async () => {
    // a small cache (the SDK's least with two task slots): the runs are replayed, not only kept in memory
    h = await startClaimHarness({ workerTuning: { maxCachedWorkflows: 2, maxConcurrentWorkflowTaskExecutions: 2 } });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  const handleOf = (claimNo: string) => h.client.workflow.getHandle(claimWorkflowId(claimNo));
  const startOf = (history: History) => history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const replays = async (claimNo: string, history: History) =>
    Worker.runReplayHistory(
      {
        workflowBundle: await workflowBundle(),
        dataConverter: { payloadCodecs: [createEncryptionCodec(TEST_PII_KEY)] },
        plugins: [tracingPlugin(startTracing({ serviceName: 'replay' }))],
      },
      history,
      claimWorkflowId(claimNo),
    );
  const searchAttribute = (d: WorkflowExecutionDescription, key: string) => d.searchAttributes[key]?.[0];

  test('a claim waiting for its village review runs on a short second run that keeps the memo and search attributes', async () => {
    // the memo holds the filing's Idempotency-Key: a retried filing finds its claim through it
    const household = await h.newHousehold();
    const { claimNo } = await h.service.file(aPropertyClaim(household.householdId), people.filer, { filingKey: 'can-1' });
    await h.waitFor(claimNo, 'village_review');
    // the first run assessed the claim (its activities) and continued as new at the wait, once a second old
    const history = await restarted(claimNo, 'village_review');
    expect(history.events?.length).toBeLessThan(20);
    const description = await handleOf(claimNo).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.memo?.filingKey).toBe('can-1');
    expect(searchAttribute(description, 'ClaimStage')).toBe('village_review');
    expect(searchAttribute(description, 'DivisionCode')).toBe(household.divisionCode);
    await replays(claimNo, history);
  }, 60_000);

  test('a notice a run started is waited out by the next run, to its own deadline, and an objection in it still counts', async () => {
    const longNotice = h.serviceWith({ noticeMs: 120_000 });
    const household = await h.newHousehold();
    const { claimNo } = await longNotice.file(aPropertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    await longNotice.act(claimNo, { action: 'review', actor: people.village });
    const inNotice = await h.waitFor(claimNo, 'public_notice', (s) => s.notice?.round === 1);
    const endsAt = inNotice.notice!.endsAt;
    // the run that started the notice continued as new; the current one's timer ends at the notice's deadline
    const history = await restarted(claimNo, 'public_notice');
    const timer = history.events?.find((e) => e.timerStartedEventAttributes)?.timerStartedEventAttributes;
    const timerMs = Number(timer?.startToFireTimeout?.seconds ?? 0) * 1000;
    expect(timerMs).toBeGreaterThan(100_000);
    expect(timerMs).toBeLessThanOrEqual(120_000);
    // the run's clock when it started the timer: the workflow task that did, as the server recorded it
    const events = history.events ?? [];
    const timerAt = events.findIndex((e) => e.timerStartedEventAttributes);
    const task = [...events.slice(0, timerAt)].reverse().find((e) => e.workflowTaskStartedEventAttributes)?.eventTime;
    const taskAt = Number(task?.seconds ?? 0) * 1000 + Math.floor((task?.nanos ?? 0) / 1e6);
    expect(Math.abs(taskAt + timerMs - Date.parse(endsAt))).toBeLessThan(1_000);
    await replays(claimNo, history);

    // an objection is applied to the notice the first run started: one notice, one objection
    await h.service.act(claimNo, { action: 'object', actor: people.village, objectorName: '张三', reason: '家中并无损失' });
    const objected = await h.waitFor(claimNo, 'township_review');
    expect(objected.objections).toHaveLength(1);
    expect(objected.objections[0]).toMatchObject({ noticeRound: 1 });
    expect(objected.history.filter((e) => e.action === 'notice_started')).toHaveLength(1);
    await h.service.act(claimNo, { action: 'reject', actor: people.township, reason: '异议成立' });
    const closed = await h.waitFor(claimNo, 'closed');
    expect(closed.status).toBe('rejected');
    // the read model holds the whole trail once, in order, across the runs
    const row = await pollUntilRead(claimNo, closed.history.length);
    expect(row.map((e) => e.seq)).toEqual(closed.history.map((_, i) => i + 1));
  }, 90_000);

  test('a claim restarted at every wait is paid once, and its result follows the runs to the last one', async () => {
    const household = await h.newHousehold();
    const { claimNo } = await h.service.file(aPropertyClaim(household.householdId), people.filer);
    await h.throughCounty(claimNo);
    const outcome = (await handleOf(claimNo).result()) as { status: string; paidFen: number };
    expect(outcome).toMatchObject({ status: 'paid', paidFen: 750_000 });
    const final = await h.service.state(claimNo);
    expect(final).toMatchObject({ stage: 'closed', status: 'paid', paidFen: 750_000 });
    expect(final.installments).toHaveLength(1);
    expect([...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo)).toHaveLength(1);
    const trail = final.history.map((e) => e.action);
    expect(trail.filter((a) => a === 'notice_started')).toHaveLength(1);
    expect(trail.filter((a) => a === 'notice_completed')).toHaveLength(1);
    const last = await handleOf(claimNo).fetchHistory();
    expect(startOf(last)?.continuedExecutionRunId).toBeTruthy();
    await replays(claimNo, last);
    await recordHistory(h.client, claimNo, 'paid-after-runs-continued-as-new');
  }, 90_000);

  /**
   * The history of the claim's current run once it is a continued run waiting in this stage (its search attribute),
   * in the notice with the notice's timer started.
   */
  async function restarted(claimNo: string, stage: string): Promise<History> {
    return pollUntil(
      `claim ${claimNo} waiting in ${stage} on a new run`,
      async () => {
        const history = await handleOf(claimNo).fetchHistory();
        const waiting = searchAttribute(await handleOf(claimNo).describe(), 'ClaimStage') === stage;
        const timed = stage !== 'public_notice' || history.events?.some((e) => e.timerStartedEventAttributes);
        return startOf(history)?.continuedExecutionRunId && waiting && timed ? history : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  }

  async function pollUntilRead(claimNo: string, events: number): Promise<{ seq: number }[]> {
    return pollUntil(
      `the read model's trail of ${claimNo}`,
      async () => {
        const trail = await h.claims.events(claimNo);
        return trail.length >= events ? trail : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  }
});
