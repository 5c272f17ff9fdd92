import { inBatches } from '../helpers/batches';
import type { ClaimInput } from '../../domain/claim';
import { pollUntil } from '../../common/poll';
import { aClaim, aHousehold } from '../fixtures/households';
import { people, startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { uniqueName } from '../helpers/servers';
import type { ClaimState } from '../../workflows/claim/types';
import { claimWorkflowId } from '../../workflows/ids';

/** One claim of each line the fixture household can file, with the payout the calculator proposes. */
const LINE_CLAIMS: Partial<ClaimInput>[] = [
  {
    line: 'property',
    eventDate: '2026-07-01',
    reportDate: '2026-07-02',
    loss: { line: 'property', cause: 'fire', assessedLossFen: 800_000 },
  },
  { line: 'health', eventDate: '2026-07-10', reportDate: '2026-07-20' },
  {
    line: 'accident',
    eventDate: '2026-08-01',
    reportDate: '2026-08-02',
    loss: { line: 'accident', kind: 'medical', medicalCostFen: 120_000 },
  },
  {
    line: 'crop',
    eventDate: '2026-07-15',
    reportDate: '2026-07-15',
    loss: { line: 'crop', item: 'sweet_potato', units: 3.5, lossRatioBp: 5_000, cause: 'natural_disaster' },
  },
  {
    line: 'education',
    memberId: 'm3',
    eventDate: '2026-07-20',
    reportDate: '2026-07-21',
    loss: { line: 'education', level: 'bachelor', admissionYear: 2026, school: '安徽大学' },
  },
];

/**
 * The whole county path for 50 claims across all five lines, with duplicate and out-of-order insurer deliveries and
 * 10% bank bounces switched on: every claim ends, the bank's ledger reconciles with what was approved, nothing is
 * paid twice, and every audit trail records each change once, in order.
 */
describe('end to end: 50 claims through the county, the insurer and the bank', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness({
      insurer: {
        decisionDelayMs: 50,
        mix: { approved_full: 80, approved_partial: 10, rejected: 10 },
        faults: {
          duplicateDeliveries: true,
          outOfOrder: true,
          lateDecisionMs: 0,
          failRate5xx: 0,
          slowResponseMs: 0,
          badSignatures: false,
        },
        seed: 7,
      },
      bank: { bounceRate: 0.1, settleDelayMs: 50, seed: 11 },
    });
  });
  afterAll(() => h.stop());

  test('every claim reaches a terminal state; ledger, approvals and audit trails agree', async () => {
    const claimNos: string[] = [];
    await inBatches([...Array(50).keys()], 10, async (i) => {
      const household = aHousehold({
        householdId: uniqueName('HH'),
        payoutAccount: { ...aHousehold().payoutAccount, cardNumber: `621700001${String(i).padStart(10, '0')}` },
      });
      await h.registerHousehold(household);
      const { claimNo } = await h.service.file(
        aClaim({ householdId: household.householdId, ...LINE_CLAIMS[i % LINE_CLAIMS.length] }),
        people.filer,
      );
      claimNos.push(claimNo);
    });

    await inBatches(claimNos, 10, async (claimNo) => {
      await h.waitFor(claimNo, 'village_review', undefined, 60_000);
      await h.service.act(claimNo, { action: 'review', actor: people.village });
      await h.waitFor(claimNo, 'township_review', undefined, 60_000);
      await h.service.act(claimNo, { action: 'approve', actor: people.township });
      await h.service.act(claimNo, { action: 'approve', actor: people.county });
      // Drive bounces as the county would: correct the account, a second person approves it, pay again.
      for (let corrections = 0; ; corrections++) {
        let seen: ClaimState | undefined;
        const state = await pollUntil(
          `claim ${claimNo} to settle`,
          async () => {
            const s = (seen = await h.service.state(claimNo));
            return s.stage === 'closed' || (s.stage === 'payout_bounced' && !s.pendingAccount) ? s : undefined;
          },
          { timeoutMs: 60_000, intervalMs: 200 },
        ).catch((error: Error) => {
          const trail = seen?.history.map((e) => `${e.action}:${e.fromStage}→${e.toStage}`).join(', ');
          throw new Error(`${error.message}; stage ${seen?.stage}; history ${trail}`);
        });
        if (state.stage === 'closed') break;
        await h.service.act(claimNo, {
          action: 'correctAccount',
          actor: people.county,
          reason: '更换社保卡',
          account: { ...state.account, cardNumber: `62170000${String(corrections + 1).padStart(2, '0')}${claimNo.slice(-6)}999` },
        });
        await h.service.act(claimNo, { action: 'approveAccount', actor: people.county2 });
      }
    });

    // the final state once each workflow has finished: a paid claim may still record its early-warning referral
    // after it reached the closed stage. A query on a finished workflow replays its whole history, so they go ten at
    // a time, and one that outlasts the server's query deadline on a loaded machine is asked again.
    const finals: ClaimState[] = [];
    await inBatches(claimNos, 10, async (no) => {
      await h.client.workflow.getHandle(claimWorkflowId(no)).result();
      finals.push(await pollUntil(`final state of ${no}`, () => h.service.state(no), { timeoutMs: 60_000, intervalMs: 500 }));
    });
    expect(finals.every((s) => s.stage === 'closed')).toBe(true);
    expect(new Set(finals.map((s) => s.status))).toEqual(
      new Set(finals.map((s) => s.status).filter((x) => x === 'paid' || x === 'rejected')),
    );
    const ledger = [...h.bankSim.ledger.values()];

    for (const s of finals) {
      const entries = ledger.filter((e) => e.claimNo === s.claimNo);
      const confirmed = entries.filter((e) => e.status === 'confirmed');
      // reconciliation: the bank paid exactly what fangpin recorded as paid, which is what the insurer approved
      expect(confirmed.reduce((sum, e) => sum + e.amountFen, 0)).toBe(s.paidFen);
      if (s.status === 'paid') expect(s.paidFen).toBe(s.approvedFen);
      else expect(s.paidFen).toBe(0);
      // zero duplicate payouts: at most one confirmed payment per installment, one ledger entry per key
      const perInstallment = new Map<number, number>();
      for (const e of confirmed) perInstallment.set(e.installment, (perInstallment.get(e.installment) ?? 0) + 1);
      expect([...perInstallment.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(entries.length);
    }

    // the audit trail in MongoDB records each change once, in order, exactly as the workflow saw it
    await inBatches(finals, 10, async (s) => {
      const events = await pollUntil(`the trail of ${s.claimNo}`, async () => {
        const e = await h.claims.events(s.claimNo);
        return e.length === s.history.length ? e : undefined;
      });
      expect(events.map((e) => [e.seq, e.action, e.fromStage, e.toStage])).toEqual(
        s.history.map((e) => [e.seq, e.action, e.fromStage, e.toStage]),
      );
      expect(events.map((e) => e.seq)).toEqual(s.history.map((_, i) => i + 1));
    });

    const statuses = finals.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.status]: (acc[s.status] ?? 0) + 1 }), {});
    const bounced = ledger.filter((e) => e.status === 'bounced').length;
    const duplicates = h.insurerSim().state.decisions.length + h.insurerSim('cpic-anhui').state.decisions.length;
    console.log(
      `e2e: ${JSON.stringify(statuses)}; bank entries ${ledger.length} (${bounced} bounced); insurer decisions ${duplicates}`,
    );
    expect(statuses.paid).toBeGreaterThan(30);
    // the API and the worker did all of it without a session, a transaction or a change stream
    expect(h.sessionsOpened()).toEqual([]);
  }, 300_000);
});
