import { randomUUID } from 'node:crypto';
import { pollUntil } from '../../common/poll';
import { createLogger } from '../../common/logger';
import { postSigned } from '../../common/partners/client';
import type { ClaimPackage, InsurerDecision, PayoutInstruction, PayoutResult } from '../../common/partners/messages';
import { unixSeconds } from '../../common/partners/signature';
import { buildBankSim } from '../../sim/bank/bank-sim';
import { listen, type RunningSim } from '../../sim/common';
import { buildGovSim } from '../../sim/gov/gov-sim';
import { buildInsurerSim } from '../../sim/insurer/insurer-sim';
import { startCallbackReceiver } from '../helpers/callback-receiver';
import { makeResidentId } from '../../domain/resident-id';

const SECRET = 'sim-test-secret-0123456789abcdef0123456789abcdef';
const silent = createLogger({ level: 'silent' });
const residentId = makeResidentId('341324', '1970-03-15', 11, 'male');

let seq = 0;
const claimNo = () => `FP-20261129-341324-${String(++seq).padStart(6, '0')}`;

function aPackage(overrides: Partial<ClaimPackage> = {}): ClaimPackage {
  return {
    type: 'claim_package',
    claimNo: claimNo(),
    insurerId: 'picc-suzhou',
    line: 'property',
    policyYear: 2026,
    productId: 'sixian-3plus2-2026',
    household: { householdId: 'HH-1', divisionCode: '341324105003', categoryOnEventDate: 'poverty_alleviated' },
    insured: { memberId: 'm1', name: '张建国', residentId },
    eventDate: '2026-07-01',
    reportDate: '2026-07-02',
    loss: { line: 'property', cause: 'fire', assessedLossFen: 800_000 },
    documents: [],
    proposedPayoutFen: 750_000,
    explanation: [],
    round: 1,
    sentAt: new Date().toISOString(),
    ...overrides,
  };
}

describe('insurer simulator', () => {
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let sim: ReturnType<typeof buildInsurerSim>;
  let running: RunningSim;

  beforeAll(async () => {
    receiver = await startCallbackReceiver([SECRET]);
    sim = buildInsurerSim(
      {
        insurerId: 'picc-suzhou',
        secrets: [SECRET],
        callbackBaseUrl: receiver.url,
        decisionDelayMs: 0,
        mix: { approved_full: 1 },
      },
      silent,
    );
    running = await listen(sim.app, 0);
  });
  afterAll(async () => {
    sim.stop();
    await running.close();
    await receiver.close();
  });
  const configure = (body: object) =>
    fetch(`${running.url}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const decisionsFor = (no: string) => receiver.received.filter((r) => (r.body as InsurerDecision).claimNo === no);

  test('when a signed package arrives, then a signed decision reaches fangpin for the proposed amount', async () => {
    const pkg = aPackage();
    const res = await postSigned({ url: `${running.url}/claims`, body: pkg, secrets: [SECRET] });
    expect(res).toMatchObject({ status: 202, body: { received: true, claimNo: pkg.claimNo, round: 1 } });
    const [decision] = await pollUntil('the decision', () =>
      decisionsFor(pkg.claimNo).length ? decisionsFor(pkg.claimNo) : undefined,
    );
    expect(decision?.path).toBe('/partners/insurers/picc-suzhou/decisions');
    expect(decision?.body).toMatchObject({ type: 'insurer_decision', outcome: 'approved_full', approvedFen: 750_000, round: 1 });
  });

  test('when the package is unsigned, wrongly signed or stale, then 401 and nothing is decided', async () => {
    const pkg = aPackage();
    const unsigned = await fetch(`${running.url}/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(pkg),
    });
    const wrong = await postSigned({
      url: `${running.url}/claims`,
      body: pkg,
      secrets: ['another-secret-0123456789abcdef0123456789'],
    });
    const stale = await postSigned({
      url: `${running.url}/claims`,
      body: pkg,
      secrets: [SECRET],
      timestamp: unixSeconds() - 600,
    });
    expect([unsigned.status, wrong.status, stale.status]).toEqual([401, 401, 401]);
    expect(stale.body).toMatchObject({ code: 'UNAUTHENTICATED', failure: 'TIMESTAMP_OUT_OF_WINDOW' });
    expect(sim.state.packages.some((p) => p.claimNo === pkg.claimNo)).toBe(false);
  });

  test('when the same delivery arrives twice, then the same answer comes back and the claim is decided once', async () => {
    const pkg = aPackage();
    const deliveryId = randomUUID();
    const first = await postSigned({ url: `${running.url}/claims`, body: pkg, secrets: [SECRET], deliveryId });
    const again = await postSigned({ url: `${running.url}/claims`, body: pkg, secrets: [SECRET], deliveryId });
    expect(again).toEqual(first);
    await pollUntil('the decision', () => (decisionsFor(pkg.claimNo).length ? true : undefined));
    expect(sim.state.packages.filter((p) => p.claimNo === pkg.claimNo)).toHaveLength(1);
    expect(decisionsFor(pkg.claimNo)).toHaveLength(1);
  });

  test('when the package is invalid, then 400 with field errors', async () => {
    const res = await postSigned({
      url: `${running.url}/claims`,
      body: { ...aPackage(), proposedPayoutFen: -1 },
      secrets: [SECRET],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', fieldErrors: [{ path: 'proposedPayoutFen' }] });
  });

  test('when a claim is scripted, then its rounds get the scripted outcomes', async () => {
    const pkg = aPackage();
    await fetch(`${running.url}/_sim/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        claimNo: pkg.claimNo,
        decisions: [{ outcome: 'documents_requested' }, { outcome: 'approved_partial', approvedFen: 300_000 }],
      }),
    });
    await postSigned({ url: `${running.url}/claims`, body: pkg, secrets: [SECRET] });
    await pollUntil('round 1', () => (decisionsFor(pkg.claimNo).length === 1 ? true : undefined));
    await postSigned({ url: `${running.url}/claims`, body: { ...pkg, round: 2 }, secrets: [SECRET] });
    const decisions = await pollUntil('round 2', () =>
      decisionsFor(pkg.claimNo).length === 2 ? decisionsFor(pkg.claimNo) : undefined,
    );
    expect(decisions.map((d) => (d.body as InsurerDecision).outcome)).toEqual(['documents_requested', 'approved_partial']);
    expect(decisions[1]?.body).toMatchObject({ approvedFen: 300_000, reason: expect.any(String) });
  });

  describe('fault switches', () => {
    afterEach(async () => {
      await configure({ faults: {}, decisionDelayMs: 0 });
    });

    test('duplicateDeliveries: the decision arrives again under the same delivery id, and once more under a new one', async () => {
      await configure({ faults: { duplicateDeliveries: true } });
      const pkg = aPackage();
      await postSigned({ url: `${running.url}/claims`, body: pkg, secrets: [SECRET] });
      const copies = await pollUntil('three copies', () =>
        decisionsFor(pkg.claimNo).length === 3 ? decisionsFor(pkg.claimNo) : undefined,
      );
      expect(new Set(copies.map((c) => (c.body as InsurerDecision).decisionId)).size).toBe(1);
      expect(copies[0]?.deliveryId).toBe(copies[1]?.deliveryId);
      expect(copies[2]?.deliveryId).not.toBe(copies[0]?.deliveryId);
    });

    test('outOfOrder: after the round-2 decision, the stale round-1 decision arrives again', async () => {
      await configure({ faults: { outOfOrder: true } });
      const pkg = aPackage();
      await postSigned({ url: `${running.url}/claims`, body: pkg, secrets: [SECRET] });
      await pollUntil('round 1', () => (decisionsFor(pkg.claimNo).length === 1 ? true : undefined));
      await postSigned({ url: `${running.url}/claims`, body: { ...pkg, round: 2 }, secrets: [SECRET] });
      const all = await pollUntil('stale copy', () =>
        decisionsFor(pkg.claimNo).length === 3 ? decisionsFor(pkg.claimNo) : undefined,
      );
      expect(all.map((d) => (d.body as InsurerDecision).round)).toEqual([1, 2, 1]);
    });

    test('lateDecisionMs: nothing is decided before the extra delay', async () => {
      await configure({ faults: { lateDecisionMs: 1_000 } });
      const pkg = aPackage();
      await postSigned({ url: `${running.url}/claims`, body: pkg, secrets: [SECRET] });
      expect(decisionsFor(pkg.claimNo)).toHaveLength(0);
      expect(sim.state.decisions.some((d) => d.decision.claimNo === pkg.claimNo)).toBe(false);
      await pollUntil('the late decision', () => (decisionsFor(pkg.claimNo).length ? true : undefined), { timeoutMs: 10_000 });
    });

    test('failRate5xx: packages are refused with 503 and not recorded', async () => {
      await configure({ faults: { failRate5xx: 1 } });
      const pkg = aPackage();
      const res = await postSigned({ url: `${running.url}/claims`, body: pkg, secrets: [SECRET] });
      expect(res.status).toBe(503);
      expect(sim.state.packages.some((p) => p.claimNo === pkg.claimNo)).toBe(false);
    });

    test('slowResponseMs: a client with a shorter timeout gives up', async () => {
      await configure({ faults: { slowResponseMs: 1_500 } });
      await expect(
        postSigned({ url: `${running.url}/claims`, body: aPackage(), secrets: [SECRET], timeoutMs: 200 }),
      ).rejects.toThrow(/abort|timeout/i);
    });

    test('badSignatures: fangpin refuses the decision (401) and the simulator records the refusal', async () => {
      await configure({ faults: { badSignatures: true } });
      const rejectedBefore = receiver.rejected();
      const pkg = aPackage();
      await postSigned({ url: `${running.url}/claims`, body: pkg, secrets: [SECRET] });
      const sent = await pollUntil('a refused attempt', () =>
        sim.state.decisions.find((d) => d.decision.claimNo === pkg.claimNo && d.attempts.length > 0),
      );
      expect(sent.attempts[0]?.status).toBe(401);
      expect(receiver.rejected()).toBeGreaterThan(rejectedBefore);
      expect(decisionsFor(pkg.claimNo)).toHaveLength(0);
    });
  });
});

describe('bank simulator', () => {
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let sim: ReturnType<typeof buildBankSim>;
  let running: RunningSim;

  beforeAll(async () => {
    receiver = await startCallbackReceiver([SECRET]);
    sim = buildBankSim(
      {
        secrets: [SECRET],
        callbackBaseUrl: receiver.url,
        settleDelayMs: 50,
        forcedBounces: { '6217000000000000000': 'card_closed' },
      },
      silent,
    );
    running = await listen(sim.app, 0);
  });
  afterAll(async () => {
    sim.stop();
    await running.close();
    await receiver.close();
  });

  const instruction = (overrides: Partial<PayoutInstruction> = {}): PayoutInstruction => {
    const no = claimNo();
    return {
      type: 'payout_instruction',
      idempotencyKey: `${no}#1#1`,
      claimNo: no,
      installment: 1,
      amountFen: 750_000,
      account: { cardNumber: '6217000010001234567', holderName: '张建国', holderResidentId: residentId },
      memo: '防贫保理赔',
      ...overrides,
    };
  };
  const resultsFor = (key: string) =>
    receiver.received.filter((r) => (r.body as PayoutResult).idempotencyKey === key).map((r) => r.body as PayoutResult);

  test('when 50 identical instructions race, then the bank pays once, answers each with the first receipt and confirms once', async () => {
    const payout = instruction();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => postSigned({ url: `${running.url}/payouts`, body: payout, secrets: [SECRET] })),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(49);
    expect(new Set(responses.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const [result] = await pollUntil('the confirmation', () =>
      resultsFor(payout.idempotencyKey).length ? resultsFor(payout.idempotencyKey) : undefined,
    );
    expect(result).toMatchObject({ status: 'confirmed', amountFen: 750_000 });
    expect(sim.ledger.get(payout.idempotencyKey)).toMatchObject({ instructions: 50, status: 'confirmed' });
    expect([...sim.ledger.values()].filter((e) => e.claimNo === payout.claimNo)).toHaveLength(1);
  });

  test('when a key is reused for a different instruction, then 409 and the ledger keeps the first', async () => {
    const payout = instruction();
    await postSigned({ url: `${running.url}/payouts`, body: payout, secrets: [SECRET] });
    const reused = await postSigned({ url: `${running.url}/payouts`, body: { ...payout, amountFen: 1 }, secrets: [SECRET] });
    expect(reused.status).toBe(409);
    expect(sim.ledger.get(payout.idempotencyKey)?.amountFen).toBe(750_000);
  });

  test('when the card is closed, then the payout bounces with the reason', async () => {
    const payout = instruction({
      account: { cardNumber: '6217000000000000000', holderName: '张建国', holderResidentId: residentId },
    });
    await postSigned({ url: `${running.url}/payouts`, body: payout, secrets: [SECRET] });
    const [result] = await pollUntil('the bounce', () =>
      resultsFor(payout.idempotencyKey).length ? resultsFor(payout.idempotencyKey) : undefined,
    );
    expect(result).toMatchObject({ status: 'bounced', reason: 'card_closed' });
  });

  test('bounceRate 1: every payment bounces; the ledger totals reconcile', async () => {
    await fetch(`${running.url}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bounceRate: 1 }),
    });
    const payout = instruction();
    await postSigned({ url: `${running.url}/payouts`, body: payout, secrets: [SECRET] });
    await pollUntil('the bounce', () => (resultsFor(payout.idempotencyKey).length ? true : undefined));
    expect(resultsFor(payout.idempotencyKey)[0]?.status).toBe('bounced');
    await fetch(`${running.url}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bounceRate: 0 }),
    });
    const ledger = await postSigned({ url: `${running.url}/ledger`, body: {}, secrets: [SECRET] });
    const { entries, totals } = ledger.body as {
      entries: { amountFen: number; status: string; cardLast4: string }[];
      totals: Record<string, number>;
    };
    const sum = (status: string) => entries.filter((e) => e.status === status).reduce((s, e) => s + e.amountFen, 0);
    expect(totals).toMatchObject({ confirmedFen: sum('confirmed'), bouncedFen: sum('bounced'), instructions: entries.length });
    expect(JSON.stringify(entries)).not.toContain('6217000010001234567');
  });

  test('the status endpoint answers for a known key and 404s an unknown one', async () => {
    const payout = instruction();
    await postSigned({ url: `${running.url}/payouts`, body: payout, secrets: [SECRET] });
    await pollUntil('settled', () => (sim.ledger.get(payout.idempotencyKey)?.status === 'confirmed' ? true : undefined));
    const known = await postSigned({
      url: `${running.url}/payouts/status`,
      body: { idempotencyKey: payout.idempotencyKey },
      secrets: [SECRET],
    });
    const unknown = await postSigned({
      url: `${running.url}/payouts/status`,
      body: { idempotencyKey: 'nope-nope-nope' },
      secrets: [SECRET],
    });
    expect(known).toMatchObject({ status: 200, body: { status: 'confirmed' } });
    expect(unknown.status).toBe(404);
  });
});

describe('government data simulator', () => {
  let sim: ReturnType<typeof buildGovSim>;
  let running: RunningSim;

  beforeAll(async () => {
    sim = buildGovSim({ secrets: [SECRET], households: 300, seed: 5 }, silent);
    running = await listen(sim.app, 0);
  });
  afterAll(() => running.close());
  const query = (dataset: string, body: object) =>
    postSigned({ url: `${running.url}/${dataset}/query`, body, secrets: [SECRET] });

  test('when asked about a member of the synthetic data set, then it answers from it', async () => {
    const [someone, settlements] = [...sim.data.settlements.entries()][0]!;
    const res = await query('medical-settlements', { residentId: someone });
    expect(res).toMatchObject({ status: 200, body: { dataset: 'medical-settlements', records: settlements } });
    expect(sim.data.admissions.size + sim.data.settlements.size).toBeGreaterThan(10);
  });

  test('when a test adds a record, then queries find it, filtered by date', async () => {
    await fetch(`${running.url}/_sim/records/deaths`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ residentId, dateOfDeath: '2026-08-10' }),
    });
    expect((await query('deaths', { residentId })).body).toMatchObject({ records: [{ dateOfDeath: '2026-08-10' }] });
    expect((await query('deaths', { residentId, to: '2026-08-01' })).body).toMatchObject({ records: [] });
  });

  test('when the source is down, then 503; when unsigned, 401', async () => {
    await fetch(`${running.url}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: true }),
    });
    expect((await query('admissions', { residentId })).status).toBe(503);
    await fetch(`${running.url}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: false }),
    });
    expect((await query('admissions', { residentId })).status).toBe(200);
    const unsigned = await fetch(`${running.url}/admissions/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ residentId }),
    });
    expect(unsigned.status).toBe(401);
  });

  test('when the dataset or query is invalid, then 400 naming the field', async () => {
    expect((await query('tax-records', { residentId })).status).toBe(400);
    expect((await query('deaths', { residentId: '123' })).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: 'residentId' }],
    });
  });
});
