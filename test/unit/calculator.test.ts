import fc from 'fast-check';
import { calculatePayout, type Calculation, type CalculationInput, type YearToDate } from '../../domain/calculator';
import type { LossOf } from '../../domain/claim';
import { yuan } from '../../domain/money';
import { lineRule } from '../../domain/product';
import type { Line } from '../../domain/codes';
import { SIXIAN_PRODUCTS } from '../../domain/products';

const product = SIXIAN_PRODUCTS.find((p) => p.policyYear === 2026)!;
const rule = <L extends Line>(line: L) => lineRule(product, line)!;
const health = rule('health');
const crop = rule('crop');
const accident = rule('accident');
const property = rule('property');
const education = rule('education');

const healthLoss = (total: number, parts: Partial<LossOf<'health'>> = {}): LossOf<'health'> => ({
  line: 'health',
  totalCostFen: total,
  basicInsuranceFen: 0,
  criticalIllnessFen: 0,
  medicalAssistanceFen: 0,
  otherInsuranceFen: 0,
  nonCompliantFen: 0,
  ...parts,
});

function expectConsistent(c: Calculation): void {
  expect(Number.isSafeInteger(c.payableFen)).toBe(true);
  expect(c.payableFen).toBeGreaterThanOrEqual(0);
  expect(c.lines.reduce((sum, l) => sum + l.amountFen, 0)).toBe(c.payableFen);
  for (const l of c.lines) expect(Number.isSafeInteger(l.amountFen)).toBe(true);
}

describe('calculatePayout: worked examples (README)', () => {
  test('health: ¥60,000 stay, ¥20,000 compliant after the triple protection → ¥7,500', () => {
    const c = calculatePayout({
      rule: health,
      loss: healthLoss(yuan(60_000), {
        basicInsuranceFen: yuan(30_000),
        criticalIllnessFen: yuan(5_000),
        medicalAssistanceFen: yuan(2_000),
        nonCompliantFen: yuan(3_000),
      }),
    });
    expect(c.facts.find((f) => f.code === 'COMPLIANT_BASE')?.valueFen).toBe(yuan(20_000));
    expect(c.lines.map((l) => [l.code, l.amountFen])).toEqual([['TIER_1', yuan(7_500)]]);
    expect(c.lines[0]?.zh).toBe('第1段（¥5,000.00–¥20,000.00）¥15,000.00 × 50%');
    expect(c.payableFen).toBe(yuan(7_500));
  });

  test('health: ¥150,000 compliant crosses every tier and the ¥100,000 annual cap cuts ¥500', () => {
    const c = calculatePayout({ rule: health, loss: healthLoss(yuan(150_000)) });
    expect(c.lines.map((l) => [l.code, l.amountFen])).toEqual([
      ['TIER_1', yuan(7_500)],
      ['TIER_2', yuan(18_000)],
      ['TIER_3', yuan(35_000)],
      ['TIER_4', yuan(40_000)],
      ['ANNUAL_CAP', -yuan(500)],
    ]);
    expect(c.payableFen).toBe(yuan(100_000));
  });

  test('health: when ¥95,000 was already paid this year, then only the remaining ¥5,000 is payable', () => {
    const c = calculatePayout({ rule: health, loss: healthLoss(yuan(60_000)), yearToDate: { memberFen: yuan(95_000) } });
    expect(c.payableFen).toBe(yuan(5_000));
  });

  test('health: at the deductible, nothing', () => {
    const c = calculatePayout({ rule: health, loss: healthLoss(yuan(5_000)) });
    expect(c.payableFen).toBe(0);
    expect(c.lines.map((l) => l.code)).toEqual(['BELOW_DEDUCTIBLE']);
  });

  test('crop: 3.5 亩 of sweet potato (¥800/亩), 50% loss → ¥1,400', () => {
    const c = calculatePayout({
      rule: crop,
      loss: { line: 'crop', item: 'sweet_potato', units: 3.5, lossRatioBp: 5_000, cause: 'natural_disaster' },
    });
    expect(c.facts[0]).toMatchObject({ code: 'INSURED_AMOUNT', valueFen: yuan(2_800) });
    expect(c.payableFen).toBe(yuan(1_400));
  });

  test('crop: below 30% nothing; from 70% a total loss', () => {
    const at = (lossRatioBp: number) =>
      calculatePayout({
        rule: crop,
        loss: { line: 'crop', item: 'sweet_potato', units: 3.5, lossRatioBp, cause: 'natural_disaster' },
      }).payableFen;
    expect(at(2_999)).toBe(0);
    expect(at(3_000)).toBe(yuan(840));
    expect(at(6_999)).toBe(mulFloor(yuan(2_800), 6_999));
    expect(at(7_000)).toBe(yuan(2_800));
  });

  test('crop: one dead beef cow (¥6,000 a head) → ¥6,000', () => {
    const c = calculatePayout({
      rule: crop,
      loss: { line: 'crop', item: 'beef_cattle', units: 1, lossRatioBp: 10_000, cause: 'disease' },
    });
    expect(c.lines.map((l) => l.code)).toEqual(['TOTAL_LOSS']);
    expect(c.payableFen).toBe(yuan(6_000));
  });

  test('accident: grade 3 disability → 80% of ¥20,000; a later death pays only the ¥4,000 left', () => {
    const disability = calculatePayout({ rule: accident, loss: { line: 'accident', kind: 'disability', disabilityGrade: 3 } });
    expect(disability.payableFen).toBe(yuan(16_000));
    const death = calculatePayout({
      rule: accident,
      loss: { line: 'accident', kind: 'death' },
      yearToDate: { accidentDeathDisabilityFen: disability.payableFen },
    });
    expect(death.lines.map((l) => [l.code, l.amountFen])).toEqual([
      ['DEATH_BENEFIT', yuan(20_000)],
      ['SUM_INSURED_REMAINING', -yuan(16_000)],
    ]);
    expect(death.payableFen).toBe(yuan(4_000));
  });

  test('accident medical: (¥1,200 − ¥100) × 90% = ¥990; ¥10,000 of costs is held to the ¥5,000 sub-limit', () => {
    expect(
      calculatePayout({ rule: accident, loss: { line: 'accident', kind: 'medical', medicalCostFen: yuan(1_200) } }).payableFen,
    ).toBe(yuan(990));
    const big = calculatePayout({ rule: accident, loss: { line: 'accident', kind: 'medical', medicalCostFen: yuan(10_000) } });
    expect(big.lines.map((l) => [l.code, l.amountFen])).toEqual([
      ['MEDICAL', yuan(8_910)],
      ['MEDICAL_SUBLIMIT', -yuan(3_910)],
    ]);
  });

  test('property: ¥8,000 fire damage − ¥500 → ¥7,500; ¥40,000 is held to the ¥20,000 sum insured', () => {
    expect(
      calculatePayout({ rule: property, loss: { line: 'property', cause: 'fire', assessedLossFen: yuan(8_000) } }).payableFen,
    ).toBe(yuan(7_500));
    const big = calculatePayout({ rule: property, loss: { line: 'property', cause: 'storm', assessedLossFen: yuan(40_000) } });
    expect(big.lines.map((l) => [l.code, l.amountFen])).toEqual([
      ['ASSESSED_LOSS', yuan(40_000)],
      ['DEDUCTIBLE', -yuan(500)],
      ['FIRST_LOSS_SUM_INSURED', -yuan(19_500)],
    ]);
  });

  test('education: bachelor ¥2,000; after a ¥1,000 junior-college benefit the same year, the top-up is ¥1,000', () => {
    const loss = { line: 'education', level: 'bachelor', admissionYear: 2026, school: '安徽大学' } as const;
    expect(calculatePayout({ rule: education, loss }).payableFen).toBe(yuan(2_000));
    expect(calculatePayout({ rule: education, loss, yearToDate: { educationSameAdmissionFen: yuan(1_000) } }).payableFen).toBe(
      yuan(1_000),
    );
    expect(calculatePayout({ rule: education, loss, yearToDate: { educationSameAdmissionFen: yuan(2_000) } }).payableFen).toBe(0);
  });
});

function mulFloor(amount: number, bp: number): number {
  return Math.floor((amount * bp) / 10_000);
}

const fen = (max: number) => fc.integer({ min: 0, max });
const ytdArb: fc.Arbitrary<YearToDate> = fc.record({
  memberFen: fen(yuan(200_000)),
  householdFen: fen(yuan(200_000)),
  accidentDeathDisabilityFen: fen(yuan(30_000)),
  accidentMedicalFen: fen(yuan(8_000)),
  educationSameAdmissionFen: fen(yuan(3_000)),
});

const healthArb = fc
  .record({ total: fen(yuan(2_000_000)), shares: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 5, maxLength: 5 }) })
  .map(({ total, shares }) => {
    const sum = shares.reduce((a, b) => a + b, 0) || 1;
    // parts take at most 90% of the total between them
    const part = (i: number) => Math.floor((total * 0.9 * shares[i]!) / sum);
    return healthLoss(total, {
      basicInsuranceFen: part(0),
      criticalIllnessFen: part(1),
      medicalAssistanceFen: part(2),
      otherInsuranceFen: part(3),
      nonCompliantFen: part(4),
    });
  });
const cropArb = fc.record({
  line: fc.constant('crop' as const),
  item: fc.constantFrom(...crop.items.map((i) => i.code)),
  units: fc.integer({ min: 1, max: 100_000 }).map((c) => c / 100),
  lossRatioBp: fc.integer({ min: 0, max: 10_000 }),
  cause: fc.constant('natural_disaster' as const),
});
const accidentArb: fc.Arbitrary<LossOf<'accident'>> = fc.oneof(
  fc.constant({ line: 'accident' as const, kind: 'death' as const }),
  fc.integer({ min: 1, max: 10 }).map((g) => ({ line: 'accident' as const, kind: 'disability' as const, disabilityGrade: g })),
  fen(yuan(50_000)).map((c) => ({ line: 'accident' as const, kind: 'medical' as const, medicalCostFen: c })),
);
const propertyArb = fen(yuan(100_000)).map((a) => ({ line: 'property' as const, cause: 'fire' as const, assessedLossFen: a }));
const educationArb = fc
  .constantFrom('bachelor' as const, 'junior_college' as const)
  .map((level) => ({ line: 'education' as const, level, admissionYear: 2026, school: '某大学' }));

const anyInput: fc.Arbitrary<CalculationInput> = fc.oneof(
  fc.tuple(healthArb, ytdArb).map(([loss, yearToDate]) => ({ rule: health, loss, yearToDate })),
  fc.tuple(cropArb, ytdArb).map(([loss, yearToDate]) => ({ rule: crop, loss, yearToDate })),
  fc.tuple(accidentArb, ytdArb).map(([loss, yearToDate]) => ({ rule: accident, loss, yearToDate })),
  fc.tuple(propertyArb, ytdArb).map(([loss, yearToDate]) => ({ rule: property, loss, yearToDate })),
  fc.tuple(educationArb, ytdArb).map(([loss, yearToDate]) => ({ rule: education, loss, yearToDate })),
);

describe('calculatePayout: properties', () => {
  test('for any claim, the amount is an exact non-negative integer and the explanation lines add up to it', () => {
    fc.assert(
      fc.property(anyInput, (input) => expectConsistent(calculatePayout(input))),
      { numRuns: 2_000 },
    );
  });

  test('for any claim, the amount never exceeds the remaining annual cap', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const cap = input.rule.annualCap;
        if (!cap) return;
        const used = (cap.scope === 'person' ? input.yearToDate?.memberFen : input.yearToDate?.householdFen) ?? 0;
        expect(calculatePayout(input).payableFen).toBeLessThanOrEqual(Math.max(0, cap.limitFen - used));
      }),
      { numRuns: 2_000 },
    );
  });

  test('for any claim, the amount never exceeds the sum insured', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const payable = calculatePayout(input).payableFen;
        if (input.rule.line === 'accident' && input.loss.line === 'accident') {
          if (input.loss.kind === 'medical') {
            expect(payable).toBeLessThanOrEqual(
              Math.max(0, input.rule.medical.annualLimitFen - (input.yearToDate?.accidentMedicalFen ?? 0)),
            );
          } else {
            expect(payable).toBeLessThanOrEqual(
              Math.max(0, input.rule.sumInsuredFen - (input.yearToDate?.accidentDeathDisabilityFen ?? 0)),
            );
          }
        }
        if (input.rule.line === 'property') expect(payable).toBeLessThanOrEqual(input.rule.sumInsuredFen);
        if (input.rule.line === 'crop' && input.loss.line === 'crop') {
          const item = input.rule.items.find((i) => i.code === (input.loss as LossOf<'crop'>).item)!;
          expect(payable).toBeLessThanOrEqual(Math.floor((Math.round(input.loss.units * 100) * item.sumPerUnitFen) / 100));
        }
        if (input.rule.line === 'education' && input.loss.line === 'education') {
          expect(payable).toBeLessThanOrEqual(input.rule.benefitsFen[input.loss.level]!);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  test('when the loss is at or below the deductible, then nothing is payable', () => {
    fc.assert(
      fc.property(fen(health.deductibleFen), fen(property.deductibleFen), fen(accident.medical.deductibleFen), (h, p, m) => {
        expect(calculatePayout({ rule: health, loss: healthLoss(h) }).payableFen).toBe(0);
        expect(
          calculatePayout({ rule: property, loss: { line: 'property', cause: 'fire', assessedLossFen: p } }).payableFen,
        ).toBe(0);
        expect(
          calculatePayout({ rule: accident, loss: { line: 'accident', kind: 'medical', medicalCostFen: m } }).payableFen,
        ).toBe(0);
      }),
    );
  });

  test('when the loss grows, the amount never shrinks (health cost, property loss, accident medical cost, crop loss ratio)', () => {
    const pair = (max: number) => fc.tuple(fen(max), fen(max)).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));
    fc.assert(
      fc.property(pair(yuan(1_000_000)), ytdArb, ([lo, hi], ytd) => {
        const pay = (t: number) =>
          calculatePayout({ rule: health, loss: healthLoss(t, { basicInsuranceFen: Math.floor(lo / 3) }), yearToDate: ytd })
            .payableFen;
        expect(pay(hi)).toBeGreaterThanOrEqual(pay(lo));
      }),
      { numRuns: 1_000 },
    );
    fc.assert(
      fc.property(pair(yuan(100_000)), ([lo, hi]) => {
        const pay = (a: number) =>
          calculatePayout({ rule: property, loss: { line: 'property', cause: 'fire', assessedLossFen: a } }).payableFen;
        const med = (a: number) =>
          calculatePayout({ rule: accident, loss: { line: 'accident', kind: 'medical', medicalCostFen: a } }).payableFen;
        expect(pay(hi)).toBeGreaterThanOrEqual(pay(lo));
        expect(med(hi)).toBeGreaterThanOrEqual(med(lo));
      }),
      { numRuns: 1_000 },
    );
    fc.assert(
      fc.property(pair(10_000), cropArb, ([lo, hi], loss) => {
        const pay = (r: number) => calculatePayout({ rule: crop, loss: { ...loss, lossRatioBp: r } }).payableFen;
        expect(pay(hi)).toBeGreaterThanOrEqual(pay(lo));
      }),
      { numRuns: 1_000 },
    );
  });
});
