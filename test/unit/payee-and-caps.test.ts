import { capsFor, settlePart } from '../../domain/exposure';
import { checkPayee } from '../../domain/payee';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import { aClaim, aHousehold } from '../fixtures/households';

const product = SIXIAN_PRODUCTS[1]!;

describe('who may be paid', () => {
  const household = aHousehold();
  const [head, spouse, child] = household.members as [
    (typeof household.members)[number],
    (typeof household.members)[number],
    (typeof household.members)[number],
  ];
  const as = (m: { name: string; residentId: string }) => ({ holderName: m.name, holderResidentId: m.residentId });

  test('the insured member and the head are paid; another member is not, a stranger or a wrong name never', () => {
    expect(checkPayee(household, 'm3', as(child))).toEqual({ ok: true, memberId: 'm3' });
    expect(checkPayee(household, 'm3', as(head))).toEqual({ ok: true, memberId: 'm1' });
    expect(checkPayee(household, 'm3', as(spouse))).toMatchObject({ ok: false, code: 'PAYEE_NOT_ENTITLED' });
    expect(checkPayee(household, 'm3', { ...as(head), holderName: '张某' })).toMatchObject({ code: 'PAYEE_NAME_MISMATCH' });
    expect(checkPayee(household, 'm3', { holderName: '王五', holderResidentId: '11010519491231002X' })).toMatchObject({
      code: 'PAYEE_NOT_A_MEMBER',
    });
  });

  test('after the insured died, the heirs (living members) are paid', () => {
    const bereaved = aHousehold({
      members: household.members.map((m) => (m.memberId === 'm3' ? { ...m, deceasedOn: '2026-07-01' } : m)),
    });
    expect(checkPayee(bereaved, 'm3', as(spouse))).toEqual({ ok: true, memberId: 'm2' });
  });
});

describe('the caps a claim draws on', () => {
  test('each line names its caps: household, person, sum insured, medical sub-limit, admission benefit', () => {
    const kinds = (claim: ReturnType<typeof aClaim>) =>
      capsFor(product.lines[claim.line]!, claim, 2026).map((c) => [c.kind, c.limitFen, c.memberId ?? null]);
    expect(kinds(aClaim({ line: 'property', loss: { line: 'property', cause: 'fire', assessedLossFen: 1 } }))).toEqual([
      ['annual_household', 2_000_000, null],
    ]);
    expect(kinds(aClaim())).toEqual([['annual_person', 10_000_000, 'm1']]);
    expect(kinds(aClaim({ line: 'accident', loss: { line: 'accident', kind: 'medical', medicalCostFen: 1 } }))).toEqual([
      ['medical_sublimit', 500_000, 'm1'],
    ]);
    expect(kinds(aClaim({ line: 'accident', loss: { line: 'accident', kind: 'death' } }))).toEqual([
      ['sum_insured', 2_000_000, 'm1'],
    ]);
    const admission = (level: 'bachelor' | 'junior_college') =>
      kinds(aClaim({ memberId: 'm3', line: 'education', loss: { line: 'education', level, admissionYear: 2026, school: 'x' } }));
    expect(admission('junior_college')).toEqual([['admission', 100_000, 'm3']]);
    expect(admission('bachelor')).toEqual([['admission', 200_000, 'm3']]);
  });

  test('a claim gets what the cap leaves after the others, never less than it was paid; asking again changes nothing', () => {
    const others = [{ claimNo: 'A', heldFen: 1_500_000, paidFen: 0, at: 't' }];
    expect(settlePart(others, 2_000_000, { claimNo: 'B', wantHeldFen: 750_000, paidFen: 0, at: 't' })).toMatchObject({
      heldFen: 500_000,
      othersFen: 1_500_000,
      changed: true,
    });
    const held = [...others, { claimNo: 'B', heldFen: 500_000, paidFen: 400_000, at: 't' }];
    expect(settlePart(held, 2_000_000, { claimNo: 'B', wantHeldFen: 0, paidFen: 400_000, at: 't' }).heldFen).toBe(400_000);
    expect(settlePart(held, 2_000_000, { claimNo: 'B', wantHeldFen: 500_000, paidFen: 400_000, at: 't' }).changed).toBe(false);
    // education: a junior-college benefit then a bachelor claim for the same admission year tops up the difference
    const junior = [{ claimNo: 'J', heldFen: 100_000, paidFen: 100_000, at: 't' }];
    expect(settlePart(junior, 200_000, { claimNo: 'K', wantHeldFen: 200_000, paidFen: 0, at: 't' }).heldFen).toBe(100_000);
    expect(settlePart(junior, 100_000, { claimNo: 'K', wantHeldFen: 100_000, paidFen: 0, at: 't' }).heldFen).toBe(0);
  });
});
