import { pollUntil } from '../../common/poll';
import { SIXIAN_WARNING_RULES } from '../../domain/warnings';
import { createEarlyWarningActivities } from '../../workers/activities/early-warning';
import { aPropertyClaim } from '../fixtures/households';
import { recordHistory } from '../helpers/histories';
import { people, startClaimHarness, tokenFor, type ClaimHarness } from '../helpers/claim-harness';

describe('early warning: a paid claim raises a referral for monitoring review', () => {
  let h: ClaimHarness;
  let raise: ReturnType<typeof createEarlyWarningActivities>['raiseReferrals'];
  beforeAll(async () => {
    h = await startClaimHarness();
    raise = createEarlyWarningActivities({
      claims: h.stores.claims,
      households: h.stores.households,
      referrals: h.stores.referrals,
      rules: SIXIAN_WARNING_RULES,
    }).raiseReferrals;
  });
  afterAll(() => h.stop());

  const referralsOf = async (householdId: string) =>
    (await h.stores.referrals.recent('341324105003', 200)).filter((r) => r.householdId === householdId);

  it('raises exactly one referral for a claim whose payout crosses the rules, however often the activity runs', async () => {
    const household = await h.newHousehold();
    // ¥30,000 of storm damage: a major property loss (≥ ¥20,000), and its payout above half the household's
    // yearly income line (3 × ¥8,500 / 2 = ¥12,750)
    const claim = aPropertyClaim(household.householdId, {
      loss: { line: 'property', cause: 'storm', assessedLossFen: 3_000_000 },
    });
    const { claimNo } = await h.service.file(claim, people.filer);
    await h.throughCounty(claimNo);
    const final = await h.waitFor(claimNo, 'closed', (s) => s.history.some((e) => e.action === 'referral_raised'), 60_000);
    expect(final.status).toBe('paid');
    const [referral, ...more] = await referralsOf(household.householdId);
    expect(more).toEqual([]);
    expect(referral).toMatchObject({ status: 'open', divisionCode: household.divisionCode });
    expect(referral!.triggers.map((t) => [t.rule, t.claimNo])).toEqual([
      ['LARGE_PAYOUT', claimNo],
      ['TOTAL_LOSS', claimNo],
    ]);
    expect(final.history.find((e) => e.action === 'referral_raised')?.reason).toContain(referral!.referralId);
    await recordHistory(h.client, claimNo, 'early-warning-referral');

    // the activity again (a retry after a worker died mid-way, say): the same referral, nothing recorded twice
    const again = await raise({
      claimNo,
      claim: final.claim,
      divisionCode: final.divisionCode,
      policyYear: final.proposal?.policyYear ?? null,
      paidFen: final.paidFen,
    });
    expect(again).toEqual({ referralId: referral!.referralId, rules: ['LARGE_PAYOUT', 'TOTAL_LOSS'] });
    expect((await referralsOf(household.householdId))[0]!.triggers).toHaveLength(2);

    // and the API shows it, in the household's jurisdiction only
    const get = async (who: Parameters<typeof tokenFor>[0]) =>
      fetch(`${h.apiUrl}/referrals/${referral!.referralId}`, { headers: { authorization: `Bearer ${await tokenFor(who)}` } });
    const shown = await get(people.township);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({
      referralId: referral!.referralId,
      triggers: [{ rule: 'LARGE_PAYOUT', ruleLabel: { zh: '大额赔付' } }, { rule: 'TOTAL_LOSS' }],
    });
    expect((await get(people.otherVillage)).status).toBe(404);
    const listed = await fetch(`${h.apiUrl}/referrals`, {
      headers: { authorization: `Bearer ${await tokenFor(people.county)}` },
    });
    expect(((await listed.json()) as { items: { referralId: string }[] }).items.map((r) => r.referralId)).toContain(
      referral!.referralId,
    );
    // and Prometheus counts it
    const metrics = await (await fetch(`${h.apiUrl}/metrics`)).text();
    expect(Number(/^fangpin_referrals\{status="open"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('gathers findings of several claims raised at once on one open referral of the household', async () => {
    const household = await h.newHousehold();
    const paid = (n: number, assessedLossFen: number) => ({
      claimNo: `FP-20261202-341324-9${String(n).padStart(5, '0')}`,
      claim: aPropertyClaim(household.householdId, {
        eventDate: `2026-07-0${n}`,
        reportDate: `2026-07-0${n + 1}`,
        loss: { line: 'property' as const, cause: 'fire' as const, assessedLossFen },
      }),
      divisionCode: household.divisionCode,
      policyYear: 2026,
      paidFen: 1_500_000,
    });
    const results = await Promise.all([1, 2, 3, 4].map((n) => raise(paid(n, 2_500_000))));
    const ids = new Set(results.map((r) => r.referralId));
    expect(ids.size).toBe(1);
    const referrals = await pollUntil('the referral', async () => {
      const found = await referralsOf(household.householdId);
      return found.length > 0 ? found : undefined;
    });
    expect(referrals).toHaveLength(1);
    expect(referrals[0]!.triggers.map((t) => `${t.claimNo}:${t.rule}`).sort()).toEqual(
      [1, 2, 3, 4].flatMap((n) => [`${paid(n, 0).claimNo}:LARGE_PAYOUT`, `${paid(n, 0).claimNo}:TOTAL_LOSS`]).sort(),
    );
  });

  it('raises nothing for a payout under every threshold', async () => {
    const household = await h.newHousehold();
    const result = await raise({
      claimNo: 'FP-20261202-341324-999999',
      claim: aPropertyClaim(household.householdId),
      divisionCode: household.divisionCode,
      policyYear: 2026,
      paidFen: 750_000,
    });
    expect(result).toEqual({ referralId: null, rules: [] });
    expect(await referralsOf(household.householdId)).toEqual([]);
  });
});
