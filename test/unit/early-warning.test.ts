import { ageOn, evaluateWarnings, rulesFor, type WarningFacts } from '../../domain/early-warning';
import { SIXIAN_WARNING_RULES } from '../../domain/warnings';

const rules = rulesFor(SIXIAN_WARNING_RULES, '341324', 2026)!;
const facts = (over: Partial<WarningFacts> = {}): WarningFacts => ({
  claimNo: 'FP-20261202-341324-000001',
  line: 'property',
  eventDate: '2026-07-01',
  paidFen: 100_000,
  members: 3,
  otherPaidEventDates: [],
  ...over,
});
const fired = (f: WarningFacts) => evaluateWarnings(rules, f).map((t) => t.rule);

describe('early-warning rules', () => {
  test('the rules in force are the county’s latest year not after the event’s', () => {
    expect(rules.year).toBe(2025);
    expect(rulesFor(SIXIAN_WARNING_RULES, '341324', 2024)).toBeUndefined();
    expect(rulesFor(SIXIAN_WARNING_RULES, '340000', 2026)).toBeUndefined();
  });

  test('a payout of half the household’s yearly income line raises LARGE_PAYOUT, a fen less does not', () => {
    // 3 members × ¥8,500 = ¥25,500; half of it ¥12,750
    expect(fired(facts({ paidFen: 1_275_000 }))).toEqual(['LARGE_PAYOUT']);
    expect(fired(facts({ paidFen: 1_274_999 }))).toEqual([]);
    const [trigger] = evaluateWarnings(rules, facts({ paidFen: 10_000_000 }));
    expect(trigger).toMatchObject({
      rule: 'LARGE_PAYOUT',
      figures: { paidFen: 10_000_000, thresholdFen: 1_275_000, householdLineFen: 2_550_000, members: 3 },
    });
    expect(trigger!.zh).toContain('¥100,000.00');
    expect(trigger!.zh).toContain('3 人 × ¥8,500.00 = ¥25,500.00');
  });

  test('the year’s out-of-pocket medical cost, a working-age death or severe disability, a total loss, frequent claims', () => {
    expect(fired(facts({ line: 'health', yearOutOfPocketFen: 1_275_000 }))).toEqual(['MEDICAL_BURDEN']);
    expect(fired(facts({ line: 'health', yearOutOfPocketFen: 1_000_000 }))).toEqual([]);
    expect(fired(facts({ line: 'accident', memberAge: 45, accident: { kind: 'death' } }))).toEqual(['SEVERE_ACCIDENT']);
    expect(fired(facts({ line: 'accident', memberAge: 72, accident: { kind: 'death' } }))).toEqual([]);
    expect(fired(facts({ line: 'accident', memberAge: 30, accident: { kind: 'disability', disabilityGrade: 4 } }))).toEqual([
      'SEVERE_ACCIDENT',
    ]);
    expect(fired(facts({ line: 'accident', memberAge: 30, accident: { kind: 'disability', disabilityGrade: 5 } }))).toEqual([]);
    expect(fired(facts({ line: 'crop', cropLossBp: 7_000 }))).toEqual(['TOTAL_LOSS']);
    expect(fired(facts({ propertyLossFen: 2_000_000 }))).toEqual(['TOTAL_LOSS']);
    expect(fired(facts({ otherPaidEventDates: ['2026-03-01', '2026-12-20'] }))).toEqual(['FREQUENT_CLAIMS']);
    expect(fired(facts({ otherPaidEventDates: ['2025-03-01', '2026-12-20'] }))).toEqual([]);
  });

  test('ages in whole years, the birthday counting on its day', () => {
    expect(ageOn('1970-07-01', '2026-07-01')).toBe(56);
    expect(ageOn('1970-07-02', '2026-07-01')).toBe(55);
  });
});
