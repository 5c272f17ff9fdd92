import { HouseholdSchema } from '../../domain/household';
import { checkEligibility } from '../../domain/eligibility';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import { syntheticHousehold, syntheticHouseholds } from '../../domain/synthetic';
import { validateResidentId } from '../../domain/resident-id';

const options = { seed: 42, policyYear: 2026, products: SIXIAN_PRODUCTS };

describe('synthetic households', () => {
  test('when generated, then every household passes the schema and every resident ID validates', () => {
    for (const h of syntheticHouseholds(500, options)) {
      expect(HouseholdSchema.safeParse(h).error?.issues ?? []).toEqual([]);
      for (const m of h.members) expect(validateResidentId(m.residentId, '2026-11-29').valid).toBe(true);
      expect(h.divisionCode).toMatch(/^341324\d{6}$/);
    }
  });

  test('the same seed gives the same households; another seed gives others', () => {
    expect([...syntheticHouseholds(20, options)]).toEqual([...syntheticHouseholds(20, options)]);
    expect(syntheticHousehold(7, { ...options, seed: 43 })).not.toEqual(syntheticHousehold(7, options));
  });

  test('household i is the same whether generated alone or in sequence (random access for 1,000,000)', () => {
    const sequence = [...syntheticHouseholds(50, options)];
    expect(syntheticHousehold(49, options)).toEqual(sequence[49]);
    expect(syntheticHousehold(999_999, options).householdId).toBe('HH04200999999');
  });

  test('the mix is realistic: mostly 脱贫户, some monitored and some risk-eliminated, all enrolled in the mandatory lines', () => {
    const households = [...syntheticHouseholds(1_000, options)];
    const current = households.map((h) => h.categoryHistory[h.categoryHistory.length - 1]!.category);
    const share = (c: string) => current.filter((x) => x === c).length / households.length;
    expect(share('poverty_alleviated')).toBeGreaterThan(0.6);
    expect(share('monitored_unstable')).toBeGreaterThan(0.1);
    expect(share('ordinary')).toBeGreaterThan(0.01);
    for (const h of households) {
      for (const line of ['crop', 'health', 'accident'])
        expect(h.enrollments.some((e) => e.policyYear === 2026 && e.line === line)).toBe(true);
    }
  });

  test('a generated household can file an eligible health claim for its head', () => {
    const h = households1();
    const result = checkEligibility({
      household: h,
      products: SIXIAN_PRODUCTS,
      today: '2026-11-29',
      claim: {
        householdId: h.householdId,
        memberId: h.members[0]!.memberId,
        line: 'health',
        eventDate: '2026-10-01',
        reportDate: '2026-10-02',
        loss: {
          line: 'health',
          totalCostFen: 1_000_000,
          basicInsuranceFen: 0,
          criticalIllnessFen: 0,
          medicalAssistanceFen: 0,
          otherInsuranceFen: 0,
          nonCompliantFen: 0,
        },
        documents: [],
      },
    });
    expect(result.eligible).toBe(true);
  });
});

function households1() {
  return [...syntheticHouseholds(100, options)].find(
    (h) =>
      h.categoryHistory.at(-1)!.category === 'poverty_alleviated' &&
      h.enrollments.find((e) => e.policyYear === 2026 && e.line === 'health')!.enrolledOn <= '2026-10-01',
  )!;
}
