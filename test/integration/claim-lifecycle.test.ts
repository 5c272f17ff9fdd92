import type { ClaimInput } from '../../domain/claim';
import { pollUntil } from '../../common/poll';
import { postSigned } from '../../common/partners/client';
import type { InsurerDecision } from '../../common/partners/messages';
import { aClaim, type aHousehold, aPropertyClaim } from '../fixtures/households';
import { people, startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { uniqueName } from '../helpers/servers';
import { recordHistory } from '../helpers/histories';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { createClaimService } from '../../api/services/claims';
import { createClaimRepository } from '../../db/repositories/claims';
import { claimCounterModel, claimModel } from '../../db/models/claim';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import { syntheticDocument } from '../../domain/synthetic';
import { TEST_TIMINGS } from '../helpers/claim-harness';

const propertyClaim = aPropertyClaim;

describe('claim lifecycle on the real dev server, database and simulators', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  const newHousehold = (overrides: Parameters<typeof aHousehold>[0] = {}) => h.newHousehold(overrides);

  /** Files a claim and takes it through village review, notice, township and county approval. */
  async function approvedThroughCounty(input: ClaimInput): Promise<string> {
    const { claimNo } = await h.service.file(input, people.filer);
    await h.waitFor(claimNo, 'village_review');
    await h.service.act(claimNo, { action: 'review', actor: people.village });
    await h.waitFor(claimNo, 'township_review');
    await h.service.act(claimNo, { action: 'approve', actor: people.township });
    await h.service.act(claimNo, { action: 'approve', actor: people.county });
    return claimNo;
  }

  test('when everyone approves and the insurer and bank agree, then the claim is paid exactly once, with the trail in order', async () => {
    const household = await newHousehold();
    const claimNo = await approvedThroughCounty(propertyClaim(household.householdId));
    const final = await h.waitFor(claimNo, 'closed');

    expect(final).toMatchObject({ status: 'paid', approvedFen: 750_000, paidFen: 750_000 });
    expect(final.proposal).toMatchObject({ payableFen: 750_000, insurerId: 'picc-suzhou', policyYear: 2026 });
    expect(final.installments).toEqual([
      expect.objectContaining({ idempotencyKey: `${claimNo}:1:1`, status: 'confirmed', amountFen: 750_000 }),
    ]);
    const ledger = [...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo);
    expect(ledger).toEqual([
      expect.objectContaining({ amountFen: 750_000, status: 'confirmed', cardNumber: household.payoutAccount.cardNumber }),
    ]);

    const stages = final.history.filter((e) => e.fromStage !== e.toStage).map((e) => `${e.fromStage}→${e.toStage}`);
    expect(stages).toEqual([
      'eligibility→village_review',
      'village_review→public_notice',
      'public_notice→township_review',
      'township_review→county_approval',
      'county_approval→insurer_review',
      'insurer_review→payout',
      'payout→closed',
    ]);
    const projection = await pollUntil('the final projection', async () => {
      const p = await h.claims.find(claimNo);
      return p?.stage === 'closed' ? p : undefined;
    });
    expect(projection).toMatchObject({ status: 'paid', paidFen: 750_000, insurerId: 'picc-suzhou', slaBreached: false });
    const events = await h.claims.events(claimNo);
    expect(events.map((e) => e.seq)).toEqual(final.history.map((e) => e.seq));
    expect(events.map((e) => e.action)).toEqual(final.history.map((e) => e.action));
    await recordHistory(h.client, claimNo, 'paid-happy-path');
  });

  test('when the database was restored from before a claim, then a new filing skips its number instead of joining its workflow', async () => {
    const [first, second] = [await newHousehold(), await newHousehold()];
    const a = await h.service.file(propertyClaim(first.householdId), people.filer);
    await h.waitFor(a.claimNo, 'village_review');
    await pollUntil('A in the read model', async () =>
      (await h.claims.find(a.claimNo))?.stage === 'village_review' ? true : undefined,
    );
    // the restore: the read model and the number counter forget claim A; its workflow lives on in Temporal
    const seqOfA = Number(a.claimNo.slice(-6));
    await claimModel(h.mongo).deleteOne({ claimNo: a.claimNo });
    await claimCounterModel(h.mongo).updateOne({ countyCode: '341324' }, { $set: { seq: seqOfA - 1 } });
    const restarted = createClaimService({
      products: SIXIAN_PRODUCTS,
      claims: createClaimRepository(h.mongo), // a new process: nothing remembered
      households: h.households,
      documents: h.stores.documents,
      client: h.client,
      taskQueue: h.taskQueue,
      timings: TEST_TIMINGS,
    });
    await h.storeFiles(propertyClaim(second.householdId).documents);
    const b = await restarted.file(propertyClaim(second.householdId), people.filer);
    expect(b.claimNo).not.toBe(a.claimNo);
    expect(Number(b.claimNo.slice(-6))).toBe(seqOfA + 1);
    const stateOfB = await h.waitFor(b.claimNo, 'village_review');
    expect(stateOfB.claim.householdId).toBe(second.householdId);
    expect((await h.service.state(a.claimNo)).claim.householdId).toBe(first.householdId);
    expect(await claimModel(h.mongo).countDocuments({ claimNo: a.claimNo })).toBe(0); // the skipped number left nothing
  });

  test('when the household is not enrolled for the event date, then the claim closes as rejected with the reason codes', async () => {
    const household = await newHousehold({ enrollments: [] });
    const { claimNo } = await h.service.file(propertyClaim(household.householdId), people.filer);
    const final = await h.waitFor(claimNo, 'closed');
    expect(final).toMatchObject({ status: 'rejected', reasons: [expect.objectContaining({ code: 'NOT_ENROLLED' })] });
    await recordHistory(h.client, claimNo, 'auto-rejected');
    await pollUntil('projection', async () =>
      (await h.claims.find(claimNo))?.reasonCodes.includes('NOT_ENROLLED') ? true : undefined,
    );
  });

  async function script(claimNo: string, decisions: object[], insurerId = 'picc-suzhou'): Promise<void> {
    const res = await fetch(`${h.insurerUrl(insurerId)}/_sim/script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ claimNo, decisions }),
    });
    expect(res.status).toBe(204);
  }

  /** Files a claim whose insurer decisions are scripted before the package is sent. */
  async function scriptedClaim(decisions: object[], householdOverrides: Parameters<typeof aHousehold>[0] = {}) {
    const household = await newHousehold(householdOverrides);
    const { claimNo } = await h.service.file(propertyClaim(household.householdId), people.filer);
    await script(claimNo, decisions);
    await h.waitFor(claimNo, 'village_review');
    await h.service.act(claimNo, { action: 'review', actor: people.village });
    await h.waitFor(claimNo, 'township_review');
    await h.service.act(claimNo, { action: 'approve', actor: people.township });
    await h.service.act(claimNo, { action: 'approve', actor: people.county });
    return { claimNo, household };
  }

  test('when the same loss is filed twice, then the second is held for the county, who can release or reject it', async () => {
    const household = await newHousehold();
    const first = await h.service.file(propertyClaim(household.householdId), people.filer);
    await h.waitFor(first.claimNo, 'village_review');
    const second = await h.service.file(propertyClaim(household.householdId, { reportDate: '2026-07-03' }), people.filer);
    const held = await h.waitFor(second.claimNo, 'held_duplicate');
    expect(held.duplicateOf).toEqual([first.claimNo]);
    expect(held.pending).toMatchObject({ roles: ['county'], waitingOn: 'county' });
    await expect(h.service.act(second.claimNo, { action: 'approve', actor: people.township })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const closed = await h.service.act(second.claimNo, {
      action: 'reject',
      actor: people.county,
      reason: '重复报案 duplicate of the first report',
    });
    expect(closed).toMatchObject({ stage: 'closed', status: 'rejected' });
  });

  test('when the village returns a claim for correction, then a resubmission is assessed again with the corrected loss', async () => {
    const household = await newHousehold();
    const { claimNo } = await h.service.file(propertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    const returned = await h.service.act(claimNo, {
      action: 'return',
      actor: people.village,
      reason: '损失金额需重新评估 reassess the loss',
    });
    expect(returned.stage).toBe('returned');
    await h.service.act(claimNo, {
      action: 'resubmit',
      actor: people.filer,
      changes: { loss: { line: 'property', cause: 'fire', assessedLossFen: 500_000 } },
    });
    const again = await h.waitFor(claimNo, 'village_review', (s) => s.history.some((e) => e.action === 'resubmit'));
    expect(again.proposal?.payableFen).toBe(450_000);
  });

  test('when someone objects during the notice, then township review sees the objection and a dismissal re-notices the claim', async () => {
    const longNotice = h.serviceWith({ noticeMs: 120_000 });
    const household = await newHousehold();
    const { claimNo } = await longNotice.file(propertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    await h.service.act(claimNo, { action: 'review', actor: people.village });
    const noticed = await h.waitFor(claimNo, 'public_notice', (s) => s.notice !== undefined);
    expect(noticed.notice?.round).toBe(1);
    const objected = await h.service.act(claimNo, {
      action: 'object',
      actor: people.village,
      objectorName: '王五',
      reason: '房屋并未受损 the house was not damaged',
    });
    expect(objected.stage).toBe('township_review');
    expect(objected.objections).toEqual([
      expect.objectContaining({ objectorName: '王五', reason: expect.stringContaining('not damaged') }),
    ]);
    const renoticed = await h.service.act(claimNo, {
      action: 'approve',
      actor: people.township,
      reason: '经核实异议不成立 objection unfounded',
    });
    expect(renoticed.stage).toBe('public_notice');
    expect(renoticed.objections[0]?.resolution).toBe('dismissed');
    const second = await h.waitFor(claimNo, 'public_notice', (s) => s.notice?.round === 2);
    expect(second.notice?.round).toBe(2);
    await h.service.act(claimNo, { action: 'withdraw', actor: people.filer, reason: 'test cleanup' });
  });

  test('when the filer tries to approve their own claim, then it is refused and nothing reaches the history', async () => {
    const household = await newHousehold();
    const villageFiler = { ...people.village, userId: 'village-head-files' };
    const { claimNo } = await h.service.file(propertyClaim(household.householdId), villageFiler);
    const before = await h.waitFor(claimNo, 'village_review');
    await expect(h.service.act(claimNo, { action: 'review', actor: villageFiler })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      extensions: expect.objectContaining({ failure: 'ERR_SELF_APPROVAL' }),
    });
    expect((await h.service.state(claimNo)).history).toHaveLength(before.history.length);
  });

  test('when staff outside the jurisdiction act, or an action does not fit the stage, then it is refused', async () => {
    const household = await newHousehold();
    const { claimNo } = await h.service.file(propertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    // refused by the workflow's own validator, answered as a claim that does not exist (nothing to enumerate)
    await expect(h.service.act(claimNo, { action: 'review', actor: people.otherVillage })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(h.service.act(claimNo, { action: 'approve', actor: people.township })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      extensions: expect.objectContaining({ failure: 'ERR_ROLE_NOT_PERMITTED' }),
    });
    await expect(h.service.act(claimNo, { action: 'reject', actor: people.county, reason: 'not now' })).rejects.toMatchObject({
      code: 'CONFLICT',
      extensions: expect.objectContaining({ stage: 'village_review', failure: 'ERR_NOT_ALLOWED_IN_STAGE' }),
    });
  });

  test('when the insurer prepays part and later approves the rest, then two installments pay the total', async () => {
    const { claimNo } = await scriptedClaim([
      { outcome: 'approved_partial', approvedFen: 300_000, final: false, reason: '先行预付确定部分 prepay the certain part' },
      { outcome: 'approved_full', approvedFen: 750_000, delayMs: 500 },
    ]);
    const final = await h.waitFor(claimNo, 'closed');
    expect(final).toMatchObject({ status: 'paid', approvedFen: 750_000, paidFen: 750_000 });
    expect(final.installments.map((i) => [i.idempotencyKey, i.amountFen, i.status])).toEqual([
      [`${claimNo}:1:1`, 300_000, 'confirmed'],
      [`${claimNo}:2:1`, 450_000, 'confirmed'],
    ]);
    const ledger = [...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo);
    expect(ledger.map((e) => e.amountFen).sort()).toEqual([300_000, 450_000]);
    await recordHistory(h.client, claimNo, 'partial-then-top-up');
  });

  test('when the insurer asks for documents, then the county supplies them and round 2 is decided', async () => {
    const { claimNo } = await scriptedClaim([{ outcome: 'documents_requested' }, { outcome: 'approved_full' }]);
    const asked = await h.waitFor(claimNo, 'documents_requested');
    expect(asked.insurer.decision).toMatchObject({ outcome: 'documents_requested', requestedDocuments: ['invoice'] });
    expect(asked.pending.dueAt).toBeDefined();
    await h.service.act(claimNo, {
      action: 'supplyDocuments',
      actor: people.county,
      documents: [syntheticDocument('维修发票.pdf', 'invoice')],
    });
    const final = await h.waitFor(claimNo, 'closed');
    expect(final).toMatchObject({ status: 'paid', paidFen: 750_000, insurer: expect.objectContaining({ round: 2 }) });
    expect(
      h
        .insurerSim()
        .state.packages.filter((p) => p.claimNo === claimNo)
        .map((p) => p.round),
    ).toEqual([1, 2]);
    await recordHistory(h.client, claimNo, 'documents-requested');
  });

  test('when the insurer stays silent past the SLA, then it is reminded, the claim is escalated and flagged for ops', async () => {
    const household = await newHousehold();
    const slow = h.serviceWith({
      insurerRemindAfterMs: { crop: 600, health: 600, accident: 600, property: 600, education: 600 },
      insurerEscalateAfterMs: { crop: 1_500, health: 1_500, accident: 1_500, property: 1_500, education: 1_500 },
      noticeMs: 200,
    });
    const { claimNo } = await slow.file(propertyClaim(household.householdId), people.filer);
    await script(claimNo, [{ outcome: 'approved_full', delayMs: 600_000 }]);
    await h.waitFor(claimNo, 'village_review');
    await h.service.act(claimNo, { action: 'review', actor: people.village });
    await h.waitFor(claimNo, 'township_review');
    await h.service.act(claimNo, { action: 'approve', actor: people.township });
    await h.service.act(claimNo, { action: 'approve', actor: people.county });
    const escalated = await h.waitFor(claimNo, 'insurer_review', (s) => s.slaBreached);
    const actions = escalated.history.map((e) => e.action);
    expect(actions).toContain('insurer_reminded');
    expect(actions.filter((a) => a === 'sla_escalated')).toHaveLength(1);
    expect(escalated.pending).toMatchObject({ waitingOn: 'insurer' });
    await pollUntil('the projection flag', async () => ((await h.claims.find(claimNo))?.slaBreached ? true : undefined));
    // Search attributes follow the workflow task that records them: poll until Temporal shows the flag.
    await pollUntil('the SlaBreached search attribute', async () => {
      const described = await h.client.workflow.getHandle(`claim-${claimNo}`).describe();
      return described.searchAttributes.SlaBreached?.[0] === true ? true : undefined;
    });
    await h.service.act(claimNo, { action: 'withdraw', actor: people.filer, reason: 'test cleanup' });
  });

  test('when the card bounces, then nothing is paid until a corrected account is approved by someone else, then it pays under the next key', async () => {
    const household = await newHousehold();
    await fetch(`${h.bankUrl}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ forcedBounces: { [household.payoutAccount.cardNumber]: 'card_closed' } }),
    });
    const claimNo = await approvedThroughCounty(propertyClaim(household.householdId));
    const bounced = await h.waitFor(claimNo, 'payout_bounced');
    expect(bounced.installments).toEqual([
      expect.objectContaining({ idempotencyKey: `${claimNo}:1:1`, status: 'bounced', reason: 'card_closed' }),
    ]);
    const corrected = await h.service.act(claimNo, {
      action: 'correctAccount',
      actor: people.county,
      reason: '原社保卡已注销，更换为新卡 card closed, new card issued',
      account: {
        cardNumber: '6217000010009999999',
        holderName: household.payoutAccount.holderName,
        holderResidentId: household.payoutAccount.holderResidentId,
      },
    });
    expect(corrected).toMatchObject({ stage: 'payout_bounced', pending: expect.objectContaining({ roles: ['county'] }) });
    expect([...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo)).toHaveLength(1);
    await expect(h.service.act(claimNo, { action: 'approveAccount', actor: people.county })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await h.service.act(claimNo, { action: 'approveAccount', actor: people.county2 });
    const final = await h.waitFor(claimNo, 'closed');
    expect(final).toMatchObject({ status: 'paid', paidFen: 750_000 });
    const ledger = [...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo);
    expect(ledger.map((e) => [e.idempotencyKey, e.cardNumber, e.status])).toEqual([
      [`${claimNo}:1:1`, household.payoutAccount.cardNumber, 'bounced'],
      [`${claimNo}:1:2`, '6217000010009999999', 'confirmed'],
    ]);
    await recordHistory(h.client, claimNo, 'bounce-and-corrected-account');
  });

  test('when a claim is withdrawn before payout, then it closes; once payout started, withdrawal is refused', async () => {
    const household = await newHousehold();
    const { claimNo } = await h.service.file(propertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    const withdrawn = await h.service.act(claimNo, {
      action: 'withdraw',
      actor: people.filer,
      reason: '农户撤回 the household withdrew',
    });
    expect(withdrawn).toMatchObject({ stage: 'closed', status: 'withdrawn' });

    const slowBankHousehold = await newHousehold();
    await fetch(`${h.bankUrl}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ settleDelayMs: 2_000 }),
    });
    try {
      const paying = await approvedThroughCounty(propertyClaim(slowBankHousehold.householdId));
      await h.waitFor(paying, 'payout');
      await expect(h.service.act(paying, { action: 'withdraw', actor: people.filer, reason: 'too late' })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await h.waitFor(paying, 'closed');
    } finally {
      await fetch(`${h.bankUrl}/_sim/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ settleDelayMs: 100 }),
      });
    }
  });

  test('when the insurer rejects, then an appeal opens a new review round linked to the original claim', async () => {
    const { claimNo, household } = await scriptedClaim([{ outcome: 'rejected', reason: '非保险责任 not covered' }]);
    const rejected = await h.waitFor(claimNo, 'closed');
    expect(rejected).toMatchObject({
      status: 'rejected',
      insurer: expect.objectContaining({ decision: expect.objectContaining({ reason: '非保险责任 not covered' }) }),
    });
    const appeal = await h.service.appeal(claimNo, people.filer, {
      reason: '补充火灾鉴定 new fire report',
      documents: [syntheticDocument('消防火灾认定书.pdf', 'police_certificate')],
    });
    expect(appeal.appealOf).toBe(claimNo);
    const reopened = await h.waitFor(appeal.claimNo, 'village_review');
    expect(reopened).toMatchObject({ appealOf: claimNo, claim: expect.objectContaining({ householdId: household.householdId }) });
    expect(reopened.duplicateOf).toEqual([]);
    await expect(h.service.appeal(appeal.claimNo, people.filer, { reason: 'x', documents: [] })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  test('when an insurer decision is delivered again, or under a new delivery id, or for an old round, then it changes nothing', async () => {
    const { claimNo } = await scriptedClaim([{ outcome: 'approved_full', delayMs: 600_000 }]);
    await h.waitFor(claimNo, 'insurer_review', (s) => s.insurer.deliveredAt !== undefined);
    const secrets = h.partners.insurers[0]!.secrets;
    const url = `${h.apiUrl}/partners/insurers/picc-suzhou/decisions`;
    const decision: InsurerDecision = {
      type: 'insurer_decision',
      decisionId: uniqueName('dec'),
      claimNo,
      insurerId: 'picc-suzhou',
      round: 1,
      outcome: 'approved_full',
      approvedFen: 750_000,
      decidedAt: new Date().toISOString(),
    };
    const stale = await postSigned({ url, body: { ...decision, decisionId: uniqueName('old'), round: 0 + 2 }, secrets });
    expect(stale).toMatchObject({ status: 200, body: { outcome: 'stale', stage: 'insurer_review' } });
    const first = await postSigned({ url, body: decision, secrets, deliveryId: 'delivery-0001-abc' });
    const repeat = await postSigned({ url, body: decision, secrets, deliveryId: 'delivery-0001-abc' });
    const copy = await postSigned({ url, body: decision, secrets });
    expect(first.body).toMatchObject({ outcome: 'applied', stage: 'payout' });
    expect(repeat.body).toEqual(first.body);
    expect(copy.body).toMatchObject({ outcome: 'duplicate' });
    const other = await postSigned({
      url: `${h.apiUrl}/partners/insurers/cpic-anhui/decisions`,
      body: { ...decision, insurerId: 'cpic-anhui' },
      secrets: h.partners.insurers[1]!.secrets,
    });
    expect(other).toMatchObject({ status: 404 }); // another insurer's claim is, to it, no claim at all
    const final = await h.waitFor(claimNo, 'closed');
    expect(final.paidFen).toBe(750_000);
    expect([...h.bankSim.ledger.values()].filter((e) => e.claimNo === claimNo)).toHaveLength(1);
  });

  test('when the data sources disagree or are down, then reviewers see warnings instead of a stuck claim', async () => {
    const household = await newHousehold();
    const health = aClaim({ householdId: household.householdId, eventDate: '2026-07-10', reportDate: '2026-07-20' });
    const { claimNo } = await h.service.file(health, people.filer);
    const checked = await h.waitFor(claimNo, 'village_review');
    expect(checked.proposal?.warnings.map((w) => w.code)).toEqual(['NO_MEDICAL_SETTLEMENT']);

    const residentId = household.members[0]!.residentId;
    await fetch(`${h.govUrl}/_sim/records/medical-settlements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        settlementId: uniqueName('YB'),
        residentId,
        hospital: '泗县人民医院',
        admissionDate: '2026-07-08',
        dischargeDate: '2026-07-10',
        totalCostFen: 6_000_000,
        basicInsuranceFen: 3_000_000,
        criticalIllnessFen: 500_000,
        medicalAssistanceFen: 200_000,
        nonCompliantFen: 300_000,
      }),
    });
    const matched = await h.service.file(
      aClaim({ householdId: household.householdId, memberId: 'm1', eventDate: '2026-07-11', reportDate: '2026-07-20' }),
      people.filer,
    );
    expect((await h.waitFor(matched.claimNo, 'village_review')).proposal?.warnings).toEqual([]);

    await fetch(`${h.govUrl}/_sim/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ down: true }),
    });
    try {
      const blind = await h.service.file(
        aClaim({ householdId: household.householdId, eventDate: '2026-07-12', reportDate: '2026-07-20' }),
        people.filer,
      );
      const state = await h.waitFor(blind.claimNo, 'village_review', undefined, 45_000);
      expect(state.proposal?.warnings.map((w) => w.code)).toEqual(['CROSS_CHECK_UNAVAILABLE']);
    } finally {
      await fetch(`${h.govUrl}/_sim/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ down: false }),
      });
    }
  });

  test('an insurer pulls only its own claims, signed; another insurer sees none of them', async () => {
    const household = await newHousehold();
    const claimNo = await approvedThroughCounty(propertyClaim(household.householdId));
    await h.waitFor(claimNo, 'closed');
    const pull = (id: string, secrets: string[]) =>
      postSigned({ url: `${h.apiUrl}/partners/insurers/${id}/claims/query`, body: { limit: 100 }, secrets });
    const mine = await pollUntil('the projection', async () => {
      const r = await pull('picc-suzhou', h.partners.insurers[0]!.secrets);
      if (r.status !== 200) throw new Error(JSON.stringify(r.body));
      return (r.body as { items: { claimNo: string }[] }).items.some((c) => c.claimNo === claimNo) ? r : undefined;
    });
    expect(mine.status).toBe(200);
    const theirs = await pull('cpic-anhui', h.partners.insurers[1]!.secrets);
    expect((theirs.body as { items: { claimNo: string }[] }).items.map((c) => c.claimNo)).not.toContain(claimNo);
    expect((await pull('cpic-anhui', h.partners.insurers[0]!.secrets)).status).toBe(401);
  });

  test('workflow histories on the Temporal server hold payloads encrypted, never the card or resident ID in clear', async () => {
    const household = await newHousehold();
    const { claimNo } = await h.service.file(propertyClaim(household.householdId), people.filer);
    await h.waitFor(claimNo, 'village_review');
    const history = await h.client.workflow.getHandle(`claim-${claimNo}`).fetchHistory();
    const raw = JSON.stringify(historyToJSON(history));
    expect(raw).not.toContain(household.payoutAccount.cardNumber);
    expect(raw).not.toContain(household.members[0]!.residentId);
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(new TextDecoder().decode(started?.metadata?.encoding ?? undefined)).toBe('binary/encrypted');
    expect((await h.service.state(claimNo)).account.cardNumber).toBe(household.payoutAccount.cardNumber); // decoded for the API
  });
});
