import type { ClaimInput } from '../../domain/claim';
import { checkEligibility, REASONS, type ReasonCode } from '../../domain/eligibility';
import type { Household } from '../../domain/household';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import { aClaim, aHousehold } from '../fixtures/households';

const TODAY = '2026-11-29';

function reasonsOf(claim: Partial<ClaimInput>, household: Household = aHousehold(), today = TODAY): ReasonCode[] {
  const result = checkEligibility({ household, claim: aClaim(claim), products: SIXIAN_PRODUCTS, today });
  return result.eligible ? [] : result.reasons.map((r) => r.code);
}

const crop = (item: string, cause: 'natural_disaster' | 'flood_storage' = 'natural_disaster') =>
  ({ line: 'crop', loss: { line: 'crop', item, units: 2, lossRatioBp: 5000, cause } }) as const;

describe('checkEligibility', () => {
  test('when everything is in order, then eligible with the policy year, product and category of the event date', () => {
    const result = checkEligibility({ household: aHousehold(), claim: aClaim(), products: SIXIAN_PRODUCTS, today: TODAY });
    expect(result).toMatchObject({
      eligible: true,
      policyYear: 2026,
      productId: 'sixian-3plus2-2026',
      category: 'poverty_alleviated',
    });
  });

  test('every reason code has a Chinese and an English message', () => {
    for (const [code, text] of Object.entries(REASONS)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(text.zh).toMatch(/\p{Script=Han}/u);
      expect(text.en.length).toBeGreaterThan(10);
    }
  });

  test('when not eligible, then each reason carries its messages', () => {
    const result = checkEligibility({
      household: aHousehold(),
      claim: aClaim({ eventDate: '2026-12-01', reportDate: '2026-12-01' }),
      products: SIXIAN_PRODUCTS,
      today: TODAY,
    });
    expect(result).toEqual({
      eligible: false,
      reasons: [
        { code: 'EVENT_IN_FUTURE', ...REASONS.EVENT_IN_FUTURE },
        { code: 'REPORT_IN_FUTURE', ...REASONS.REPORT_IN_FUTURE },
      ],
    });
  });

  test.each<[string, Partial<ClaimInput>, ReasonCode[]]>([
    [
      'the event is after today',
      { eventDate: '2026-11-30', reportDate: '2026-11-29' },
      ['EVENT_IN_FUTURE', 'REPORT_BEFORE_EVENT'],
    ],
    ['the report is before the event', { eventDate: '2026-07-10', reportDate: '2026-07-09' }, ['REPORT_BEFORE_EVENT']],
    ['the member is not in the household', { memberId: 'm9' }, ['MEMBER_NOT_FOUND']],
    ['no product covers the date', { eventDate: '2024-07-10', reportDate: '2024-07-10' }, ['NO_POLICY_PERIOD']],
    ['the crop item is not insured', crop('durian'), ['UNKNOWN_CROP_ITEM']],
    ['the crop loss came from flood storage (政府行蓄洪)', crop('wheat', 'flood_storage'), ['EXCLUDED_CAUSE']],
    [
      'the property loss is from an excluded cause',
      { line: 'property', loss: { line: 'property', cause: 'earthquake', assessedLossFen: 100_000 } },
      ['EXCLUDED_CAUSE'],
    ],
    [
      'the admission level is not covered',
      {
        line: 'education',
        memberId: 'm3',
        eventDate: '2026-07-20',
        loss: { line: 'education', level: 'senior_high', admissionYear: 2026, school: '泗县一中' },
      },
      ['LEVEL_NOT_COVERED'],
    ],
    [
      'the admission year is not the event year',
      {
        line: 'education',
        memberId: 'm3',
        eventDate: '2026-07-20',
        loss: { line: 'education', level: 'bachelor', admissionYear: 2025, school: '安徽大学' },
      },
      ['ADMISSION_YEAR_MISMATCH'],
    ],
  ])('when %s, then the reasons are as expected', (_what, claim, expected) => {
    expect(reasonsOf(claim)).toEqual(expected);
  });

  describe('policy-period boundaries (health runs 1 April – 31 March)', () => {
    const householdEnrolledOnlyIn2026 = aHousehold({
      enrollments: [{ policyYear: 2026, line: 'health', enrolledOn: '2026-04-01' }],
    });
    test('when a health event is on 31 March 2026, then it belongs to policy year 2025, where this household is not enrolled', () => {
      expect(reasonsOf({ eventDate: '2026-03-31', reportDate: '2026-04-02' }, householdEnrolledOnlyIn2026)).toEqual([
        'NOT_ENROLLED',
      ]);
    });
    test('when a health event is on 1 April 2026, then policy year 2026 covers it', () => {
      const result = checkEligibility({
        household: householdEnrolledOnlyIn2026,
        claim: aClaim({ eventDate: '2026-04-01', reportDate: '2026-04-02' }),
        products: SIXIAN_PRODUCTS,
        today: TODAY,
      });
      expect(result).toMatchObject({ eligible: true, policyYear: 2026 });
    });
    test('when an accident is on 30 May 2026, then it is still policy year 2025 for the accident line', () => {
      const result = checkEligibility({
        household: aHousehold(),
        claim: aClaim({
          line: 'accident',
          eventDate: '2026-05-30',
          reportDate: '2026-05-31',
          loss: { line: 'accident', kind: 'medical', medicalCostFen: 50_000 },
        }),
        products: SIXIAN_PRODUCTS,
        today: TODAY,
      });
      expect(result).toMatchObject({ eligible: true, policyYear: 2025, productId: 'sixian-3plus2-2025' });
    });
    test('when the household enrolled after the period started and the event is before it enrolled, then EVENT_BEFORE_ENROLLMENT', () => {
      const late = aHousehold({ enrollments: [{ policyYear: 2026, line: 'health', enrolledOn: '2026-08-01' }] });
      expect(reasonsOf({ eventDate: '2026-07-10', reportDate: '2026-07-20' }, late)).toEqual(['EVENT_BEFORE_ENROLLMENT']);
    });
  });

  describe('category on the event date', () => {
    test('when the category changed mid-year, then the category valid on the event date is used', () => {
      const before = checkEligibility({
        household: aHousehold(),
        claim: aClaim({ eventDate: '2026-08-31', reportDate: '2026-09-02' }),
        products: SIXIAN_PRODUCTS,
        today: TODAY,
      });
      const after = checkEligibility({
        household: aHousehold(),
        claim: aClaim({ eventDate: '2026-09-01', reportDate: '2026-09-02' }),
        products: SIXIAN_PRODUCTS,
        today: TODAY,
      });
      expect(before).toMatchObject({ eligible: true, category: 'poverty_alleviated' });
      expect(after).toMatchObject({ eligible: true, category: 'monitored_unstable' });
    });
    test('when risk was eliminated before the event (ordinary household), then CATEGORY_NOT_ELIGIBLE', () => {
      const cleared = aHousehold({
        categoryHistory: [
          { category: 'monitored_marginal', from: '2022-01-01', to: '2026-06-30', reason: '纳入监测' },
          { category: 'ordinary', from: '2026-07-01', reason: '风险消除' },
        ],
      });
      expect(reasonsOf({}, cleared)).toEqual(['CATEGORY_NOT_ELIGIBLE']);
      expect(reasonsOf({ eventDate: '2026-06-30', reportDate: '2026-07-01' }, cleared)).toEqual([]);
    });
    test('when no category period covers the event date, then CATEGORY_NOT_ELIGIBLE', () => {
      const included = aHousehold({ categoryHistory: [{ category: 'monitored_sudden_hardship', from: '2026-08-01' }] });
      expect(reasonsOf({}, included)).toEqual(['CATEGORY_NOT_ELIGIBLE']);
    });
  });

  describe('death of the insured', () => {
    const withDeath = (deceasedOn: string) =>
      aHousehold({ members: aHousehold().members.map((m) => (m.memberId === 'm2' ? { ...m, deceasedOn } : m)) });
    const deathClaim: Partial<ClaimInput> = {
      line: 'accident',
      memberId: 'm2',
      eventDate: '2026-08-10',
      reportDate: '2026-08-11',
      loss: { line: 'accident', kind: 'death' },
    };
    test('when the member died before the event, then MEMBER_DECEASED', () => {
      expect(reasonsOf({ memberId: 'm2' }, withDeath('2026-07-01'))).toEqual(['MEMBER_DECEASED']);
    });
    test('when a death claim matches the recorded date of death, then eligible', () => {
      expect(reasonsOf(deathClaim, withDeath('2026-08-10'))).toEqual([]);
    });
    test('when a death claim has no recorded death, then DEATH_NOT_RECORDED', () => {
      expect(reasonsOf(deathClaim)).toEqual(['DEATH_NOT_RECORDED']);
    });
    test('when the member died on the event date, then claims for that day (e.g. medical) are eligible', () => {
      expect(reasonsOf({ memberId: 'm2', eventDate: '2026-07-01', reportDate: '2026-07-02' }, withDeath('2026-07-01'))).toEqual(
        [],
      );
    });
  });

  describe('waiting (observation) period', () => {
    const firstYearOnly = aHousehold({ enrollments: [{ policyYear: 2026, line: 'crop', enrolledOn: '2026-06-10' }] });
    const cattle = (eventDate: string): Partial<ClaimInput> => ({
      line: 'crop',
      eventDate,
      reportDate: eventDate,
      loss: { line: 'crop', item: 'beef_cattle', units: 1, lossRatioBp: 10_000, cause: 'disease' },
    });
    test('when livestock dies within 20 days of a first enrollment, then WAITING_PERIOD', () => {
      expect(reasonsOf(cattle('2026-06-29'), firstYearOnly)).toEqual(['WAITING_PERIOD']);
    });
    test('when livestock dies on day 20 after enrollment, then eligible', () => {
      expect(reasonsOf(cattle('2026-06-30'), firstYearOnly)).toEqual([]);
    });
    test('when the household renewed (enrolled the year before), then no observation period applies', () => {
      expect(reasonsOf(cattle('2026-06-01'))).toEqual([]);
    });
    test('when a crop (not livestock) is damaged right after enrollment, then no observation period applies', () => {
      expect(reasonsOf({ ...crop('wheat'), eventDate: '2026-06-11', reportDate: '2026-06-11' }, firstYearOnly)).toEqual([]);
    });
  });
});
