/**
 * A worker whose workflow cache is far smaller than the claims it serves (bench:worker measures the production
 * setting, 250 against thousands waiting): workflows are evicted and replayed from their history whenever a task
 * arrives for them — the public notice's timer firing, a person's action, a query — and every claim still ends paid
 * once, with a history that replays.
 */
import { Worker } from '@temporalio/worker';
import { pollUntil } from '../../common/poll';
import { createEncryptionCodec } from '../../common/crypto/payload-codec';
import { startTracing } from '../../common/tracing';
import { claimWorkflowId } from '../../workflows/ids';
import { tracingPlugin } from '../../workers/tracing';
import { recordHistory } from '../helpers/histories';
import { aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, TEST_PII_KEY, workflowBundle, type ClaimHarness } from '../helpers/claim-harness';

const CACHE = 2;
const CLAIMS = 6;

describe('a worker with a workflow cache smaller than its open claims', () => {
  let h: ClaimHarness;
  let mostCached = 0;
  let sampler: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    h = await startClaimHarness({ workerTuning: { maxCachedWorkflows: CACHE, maxConcurrentWorkflowTaskExecutions: CACHE } });
    sampler = setInterval(() => {
      mostCached = Math.max(mostCached, h.worker?.getStatus().numCachedWorkflows ?? 0);
    }, 20);
  }, 60_000);
  afterAll(async () => {
    clearInterval(sampler);
    await h?.stop();
  });

  test('claims waiting in public notice together are evicted, their timers fire on replayed workflows, and each is paid once', async () => {
    const filed = await Promise.all(
      Array.from({ length: CLAIMS }, async () => {
        const household = await h.newHousehold();
        return (await h.service.file(aPropertyClaim(household.householdId), people.filer)).claimNo;
      }),
    );
    // the village reviews each claim as soon as it is filed, as a cadre at the desk would (and as bench:worker does):
    // tried while the claim is still being assessed, the review is refused (its update rejected, which leaves nothing
    // in the history) and tried again until accepted; all six enter their notice within moments of each other, so
    // when the notices end at most two are in the cache
    const refused = new Map<string, number>();
    await Promise.all(
      filed.map((claimNo) =>
        pollUntil(
          `the village review of ${claimNo} accepted`,
          () =>
            h.service.act(claimNo, { action: 'review', actor: people.village }).then(
              () => true,
              (error: unknown) => {
                refused.set(claimNo, (refused.get(claimNo) ?? 0) + 1);
                throw error;
              },
            ),
          { timeoutMs: 60_000, intervalMs: 50 },
        ),
      ),
    );
    for (const claimNo of filed) await h.waitFor(claimNo, 'township_review');
    for (const claimNo of filed) {
      await h.service.act(claimNo, { action: 'approve', actor: people.township });
      await h.service.act(claimNo, { action: 'approve', actor: people.county });
    }
    for (const claimNo of filed) {
      const final = await h.waitFor(claimNo, 'closed', undefined, 60_000);
      expect(final).toMatchObject({ status: 'paid', paidFen: 750_000 });
      const trail = final.history.map((e) => e.action);
      expect(trail.filter((a) => a === 'notice_completed')).toHaveLength(1);
      expect([...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo)).toHaveLength(1);
    }
    // the cache was used, and never held more than its bound; some reviews came too early and were refused first
    expect(mostCached).toBe(CACHE);
    expect(refused.size).toBeGreaterThan(0);

    for (const claimNo of filed) {
      const handle = h.client.workflow.getHandle(claimWorkflowId(claimNo));
      await Worker.runReplayHistory(
        {
          workflowBundle: await workflowBundle(),
          dataConverter: { payloadCodecs: [createEncryptionCodec(TEST_PII_KEY)] },
          plugins: [tracingPlugin(startTracing({ serviceName: 'replay' }))],
        },
        await handle.fetchHistory(),
        handle.workflowId,
      );
    }
    // one of them as a replay fixture: a traced claim with its own update spans, refused once, evicted in its notice
    await recordHistory(h.client, [...refused.keys()][0]!, 'evicted-in-notice-after-refused-review');
  }, 180_000);

  test('a claim waiting for its village review answers the stack-trace query with no frames: the sandbox captures none', async () => {
    // the bundle's prelude (workers/workflow-bundle.ts) sets Error.stackTraceLimit = 0 in the workflow sandbox, so the
    // SDK's promise hook no longer source-maps a stack for every promise a replay creates
    const household = await h.newHousehold();
    const { claimNo } = await h.service.file(aPropertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    const trace = await h.client.workflow.getHandle(claimWorkflowId(claimNo)).query<string>('__stack_trace');
    expect(typeof trace).toBe('string');
    expect(trace).not.toMatch(/\bat\b/);
    expect(trace).not.toContain('workflows/claim');
  }, 60_000);
});
