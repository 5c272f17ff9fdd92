import { pollUntil } from '../../common/poll';
import type { MedicalSettlement } from '../../common/partners/messages';
import type { MonitoringState } from '../../workflows/monitoring/machine';
import type { Actor } from '../../workflows/claim/types';
import { makeResidentId } from '../../domain/resident-id';
import { aClaim, aHousehold } from '../fixtures/households';
import { recordWorkflowHistory } from '../helpers/histories';
import { settlementFeedWorkflowId } from '../../workflows/feeds/settlement-feed';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';

/**
 * Referrals from the medical-insurance bureau's settlement feed: a large out-of-pocket stay of an enrolled member
 * with no claim for it raises a referral (SETTLEMENT_WITHOUT_CLAIM, also a hint to the village that a claim may be
 * due) and starts its procedure; a small one, or one with a claim, raises nothing; the county's cursor moves past what
 * was read, and reading again raises nothing twice.
 */
describe('referrals from the medical-insurance settlement feed (医保结算数据预警)', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  const api = async (actor: Actor, path: string, method = 'GET') => {
    const res = await fetch(`${h.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${await tokenFor(actor)}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  type FeedView = { items: { cursor: string | null; scanned: number; raised: number; workflow: string | null }[] };
  const feed = async () => ((await api(people.ops, '/ops/feeds')).body as unknown as FeedView).items[0]!;
  /** The bureau records a settlement (its simulator's admin interface). */
  const settle = async (s: MedicalSettlement) => {
    const res = await fetch(`${h.govUrl}/_sim/records/medical-settlements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(s),
    });
    expect(res.status).toBe(204);
  };
  const stay = (settlementId: string, residentId: string, outOfPocketFen: number): MedicalSettlement => ({
    settlementId,
    residentId,
    hospital: '宿州市立医院',
    admissionDate: '2026-07-10',
    dischargeDate: '2026-07-24',
    totalCostFen: outOfPocketFen + 3_000_000,
    basicInsuranceFen: 2_500_000,
    criticalIllnessFen: 300_000,
    medicalAssistanceFen: 200_000,
    nonCompliantFen: 100_000,
  });

  /** A household whose members' resident IDs are its own (the fixture's are shared by every fixture household). */
  let households = 0;
  const ownHousehold = () => {
    const year = 1960 + households++;
    const sequence = Math.floor(Math.random() * 1000);
    const base = aHousehold();
    const members = base.members.map((m, i) => ({
      ...m,
      residentId: makeResidentId('341324', `${year}-0${1 + i}-15`, sequence, i % 2 ? 'female' : 'male'),
    }));
    const cardNumber = `62170000${String(Date.now() % 1e7).padStart(7, '0')}${String(8000 + households).padStart(4, '0')}`;
    return h.newHousehold({
      members,
      payoutAccount: { ...base.payoutAccount, cardNumber, holderResidentId: members[0]!.residentId },
    });
  };

  it('raises one referral for a large stay with no claim, none for a small one or one with a claim, and reads on from its cursor', async () => {
    const stricken = await ownHousehold();
    const modest = await ownHousehold();
    const claimed = await ownHousehold();
    const { claimNo } = await h.service.file(aClaim({ householdId: claimed.householdId }), people.filer);
    await pollUntil('the health claim in the read model', async () => ((await h.stores.claims.find(claimNo)) ? true : undefined));
    const before = await feed();

    // ¥32,000 out of pocket for a household of 3 (its line 3 × ¥8,500 = ¥25,500; the rule's share 50%)
    await settle(stay('YB-T-1', stricken.members[1]!.residentId, 3_200_000));
    await settle(stay('YB-T-2', modest.members[0]!.residentId, 100_000));
    await settle(stay('YB-T-3', claimed.members[0]!.residentId, 3_200_000));
    expect((await api(people.ops, '/ops/feeds/medical-settlements/scan', 'POST')).status).toBe(202);

    const read = await pollUntil('the feed read to its end', async () => {
      const now = await feed();
      return now.cursor !== before.cursor && now.scanned >= before.scanned + 3 ? now : undefined;
    });
    expect(read).toMatchObject({ raised: before.raised + 1, workflow: 'RUNNING' });
    const referral = (await h.stores.referrals.openFor(stricken.householdId))!;
    expect(referral.triggers).toHaveLength(1);
    expect(referral.triggers[0]).toMatchObject({
      rule: 'SETTLEMENT_WITHOUT_CLAIM',
      key: 'settlement:YB-T-1',
      claimNo: null,
      figures: { outOfPocketFen: 3_200_000, members: 3, thresholdFen: 1_275_000 },
    });
    expect(referral.triggers[0]!.zh).toContain('尚未就此报案，请村级核实并协助申报健康保险理赔');
    expect(await h.stores.referrals.openFor(modest.householdId)).toBeNull();
    expect(await h.stores.referrals.openFor(claimed.householdId)).toBeNull();

    // its procedure runs: the village is asked to verify, and staff see the finding in words
    const shown = await pollUntil('the procedure at verification', async () => {
      const { body } = await api(people.filer, `/referrals/${referral.referralId}`);
      return (body.procedure as MonitoringState | null)?.stage === 'verification' ? body : undefined;
    });
    expect(shown.triggers).toEqual([
      expect.objectContaining({ ruleLabel: { zh: '大额医保结算尚未报案', en: expect.any(String) } }),
    ]);

    // read again: nothing new is raised, the cursor stays past what was read
    expect((await api(people.county, '/ops/feeds/medical-settlements/scan', 'POST')).status).toBe(202);
    await settle(stay('YB-T-4', modest.members[0]!.residentId, 50_000));
    expect((await api(people.ops, '/ops/feeds/medical-settlements/scan', 'POST')).status).toBe(202);
    const again = await pollUntil('the new settlement read', async () => {
      const now = await feed();
      return now.scanned >= read.scanned + 1 ? now : undefined;
    });
    expect(again.raised).toBe(read.raised);
    expect((await h.stores.referrals.openFor(stricken.householdId))!.triggers).toHaveLength(1);
    await recordWorkflowHistory(h.client, settlementFeedWorkflowId('341324', h.taskQueue), 'settlement-feed');
  }, 120_000);

  it('lets only county staff and ops see or scan the feed', async () => {
    expect((await api(people.filer, '/ops/feeds')).status).toBe(403);
    expect((await api(people.township, '/ops/feeds/medical-settlements/scan', 'POST')).status).toBe(403);
  });
});
