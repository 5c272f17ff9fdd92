import { pollUntil } from '../../common/poll';
import { aClaim, aHousehold } from '../fixtures/households';
import { people, startClaimHarness, workerProcessEnv, type ClaimHarness } from '../helpers/claim-harness';
import { workerProcesses } from '../helpers/processes';
import { uniqueName } from '../helpers/servers';

/**
 * The payout is made exactly once even when the worker process is killed (SIGKILL) while the payout activity is in
 * flight: the bank has booked the instruction but the worker never hears back. A new worker retries the activity with
 * the same idempotency key, the bank answers with its first receipt, and the claim completes with one payment.
 */
describe('payout exactly once across a worker crash', () => {
  let h: ClaimHarness;
  const workers = workerProcesses();

  beforeAll(async () => {
    // The bank books an instruction at once and answers 4 s later: the window in which we kill the worker. It settles
    // (and calls back) only after 9 s, so the claim cannot complete before the new worker has retried the activity.
    h = await startClaimHarness({ inProcessWorker: false, bank: { responseDelayMs: 4_000, settleDelayMs: 9_000 } });
  });
  afterAll(async () => {
    workers.killAll();
    await h.stop();
  });

  const startWorker = () => workers.start(workerProcessEnv(h));

  test('when the worker is SIGKILLed mid-payout, then a new worker completes the claim and the bank paid once', async () => {
    const household = await h.registerHousehold(aHousehold({ householdId: uniqueName('HH') }));
    const first = startWorker();
    const { claimNo } = await h.service.file(
      aClaim({
        householdId: household.householdId,
        line: 'property',
        eventDate: '2026-07-01',
        reportDate: '2026-07-02',
        loss: { line: 'property', cause: 'fire', assessedLossFen: 800_000 },
      }),
      people.filer,
    );
    await h.waitFor(claimNo, 'village_review', undefined, 60_000);
    await h.service.act(claimNo, { action: 'review', actor: people.village });
    await h.waitFor(claimNo, 'township_review');
    await h.service.act(claimNo, { action: 'approve', actor: people.township });
    await h.service.act(claimNo, { action: 'approve', actor: people.county });

    const booked = await pollUntil(
      'the bank to book the instruction',
      () => [...h.bankSim.ledger.values()].find((e) => e.claimNo === claimNo),
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(booked.instructions).toBe(1);
    expect((await h.service.state(claimNo).catch(() => undefined))?.stage ?? 'payout').toBe('payout');

    startWorker();
    const final = await h.waitFor(claimNo, 'closed', undefined, 60_000);

    expect(final).toMatchObject({ status: 'paid', paidFen: 750_000 });
    const entries = [...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ idempotencyKey: `${claimNo}:1:1`, status: 'confirmed', amountFen: 750_000 });
    expect(entries[0]!.instructions).toBeGreaterThanOrEqual(2); // the retried activity really re-sent it
    expect(final.installments).toEqual([expect.objectContaining({ status: 'confirmed', amountFen: 750_000 })]);
  }, 120_000);
});
