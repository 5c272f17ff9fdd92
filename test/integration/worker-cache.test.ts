/**
 * A worker whose workflow cache is far smaller than the claims it serves (bench:worker measures the production
 * setting, 250 against thousands waiting): workflows are evicted and replayed from their history whenever a task
 * arrives for them — the public notice's timer firing, a person's action, a query — and every claim still ends paid
 * once, with a history that replays.
 */
import { Worker } from '@temporalio/worker';
import { createEncryptionCodec } from '../../common/crypto/payload-codec';
import { startTracing } from '../../common/tracing';
import { claimWorkflowId } from '../../workflows/ids';
import { tracingPlugin } from '../../workers/tracing';
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
    for (const claimNo of filed) await h.waitFor(claimNo, 'village_review');
    // all six enter their notice within moments of each other: when the notices end, at most two are in the cache
    await Promise.all(filed.map((claimNo) => h.service.act(claimNo, { action: 'review', actor: people.village })));
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
    // the cache was used, and never held more than its bound
    expect(mostCached).toBe(CACHE);

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
  }, 180_000);
});
