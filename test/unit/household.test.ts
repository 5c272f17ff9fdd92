import { HouseholdSchema, categoryOn, passesLuhn } from '../../domain/household';
import { aHousehold } from '../fixtures/households';

const pathsOf = (value: unknown) =>
  (HouseholdSchema.safeParse(value).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('HouseholdSchema', () => {
  test('when a member ID is given in lowercase or as 15 digits, then it is stored normalized', () => {
    const h = aHousehold();
    const parsed = HouseholdSchema.parse({
      ...h,
      members: [...h.members, { memberId: 'm4', name: '张老汉', residentId: '110105491231002', relation: 'parent' }],
    });
    expect(parsed.members[3]?.residentId).toBe('11010519491231002X');
  });

  test('when there is no head or two heads, then the error says so', () => {
    const h = aHousehold();
    expect(pathsOf({ ...h, members: h.members.map((m) => ({ ...m, relation: 'head' })) })).toContain(
      'members: must have exactly one head (found 3)',
    );
  });

  test('when category periods overlap, then the error names categoryHistory', () => {
    const h = aHousehold();
    const overlapping = [
      { category: 'poverty_alleviated', from: '2018-01-01', to: '2026-09-30' },
      { category: 'monitored_unstable', from: '2026-09-01' },
    ];
    expect(pathsOf({ ...h, categoryHistory: overlapping })).toEqual(['categoryHistory: periods overlap at 2026-09-01']);
  });

  test("when the account holder is not a member, then the error points at the holder's ID", () => {
    const h = aHousehold();
    expect(pathsOf({ ...h, payoutAccount: { ...h.payoutAccount, holderName: '王五' } })).toEqual([
      "payoutAccount.holderResidentId: the account holder's name and resident ID must match a member of the household",
    ]);
  });

  test('when fields are wrong, then each is named and unknown fields are refused', () => {
    const h = aHousehold();
    const paths = pathsOf({
      ...h,
      divisionCode: '3413241',
      surprise: 1,
      payoutAccount: { ...h.payoutAccount, cardNumber: '12ab' },
    }).map((p) => p.split(':')[0]);
    expect(paths.sort()).toEqual(['', 'divisionCode', 'payoutAccount.cardNumber']);
  });

  test('categoryOn returns the category valid on a date, inclusive of both ends', () => {
    const h = aHousehold();
    expect(categoryOn(h, '2018-11-30')).toBeUndefined();
    expect(categoryOn(h, '2018-12-01')).toBe('poverty_alleviated');
    expect(categoryOn(h, '2026-08-31')).toBe('poverty_alleviated');
    expect(categoryOn(h, '2026-09-01')).toBe('monitored_unstable');
  });

  test('passesLuhn checks card numbers (a warning only)', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});
