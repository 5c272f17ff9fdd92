import type { ClaimInput } from '../../domain/claim';
import { pollUntil } from '../../common/poll';
import { aClaim, aHousehold } from '../fixtures/households';
import { people, startClaimHarness, type ClaimHarness } from '../helpers/claim-harness';
import { uniqueName } from '../helpers/servers';

/** A property claim (insurer picc-suzhou): ¥8,000 fire damage, proposed payout ¥7,500. */
function propertyClaim(householdId: string, overrides: Partial<ClaimInput> = {}): ClaimInput {
  return aClaim({
    householdId,
    memberId: 'm1',
    line: 'property',
    eventDate: '2026-07-01',
    reportDate: '2026-07-02',
    loss: { line: 'property', cause: 'fire', assessedLossFen: 800_000 },
    ...overrides,
  });
}

describe('claim lifecycle on the real dev server, database and simulators', () => {
  let h: ClaimHarness;
  beforeAll(async () => {
    h = await startClaimHarness();
  });
  afterAll(() => h.stop());

  async function newHousehold(overrides: Parameters<typeof aHousehold>[0] = {}) {
    return h.registerHousehold(aHousehold({ householdId: uniqueName('HH'), ...overrides }));
  }

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
  });

  test('when the household is not enrolled for the event date, then the claim closes as rejected with the reason codes', async () => {
    const household = await newHousehold({ enrollments: [] });
    const { claimNo } = await h.service.file(propertyClaim(household.householdId), people.filer);
    const final = await h.waitFor(claimNo, 'closed');
    expect(final).toMatchObject({ status: 'rejected', reasons: [expect.objectContaining({ code: 'NOT_ENROLLED' })] });
    await pollUntil('projection', async () =>
      (await h.claims.find(claimNo))?.reasonCodes.includes('NOT_ENROLLED') ? true : undefined,
    );
  });
});
