import { householdFromRows, rosterDate, type RosterRow } from '../../domain/roster-sheet';
import { aHousehold } from '../fixtures/households';

describe('the roster sheet', () => {
  test('reads dates as clerks write them, and says which cells hold none', () => {
    for (const written of [
      '2026-03-01',
      '2026/3/1',
      '2026.3.1',
      '2026年3月1日',
      '20260301',
      46082,
      new Date('2026-03-01T00:00:00Z'),
    ])
      expect(rosterDate(written)).toBe('2026-03-01');
    expect(rosterDate(undefined)).toBeUndefined();
    for (const wrong of ['2026-02-30', '三月一日', 1.5]) expect(rosterDate(wrong)).toBeNull();
  });

  test('builds a household from its rows: 3+2 is every line, later rows leave the household cells empty or equal', () => {
    const h = aHousehold();
    const head = h.members[0]!;
    const rows: RosterRow[] = [
      {
        row: 2,
        cells: {
          householdId: h.householdId,
          divisionCode: h.divisionCode,
          memberId: 'm1',
          name: head.name,
          residentId: head.residentId,
          relation: '户主',
          labour: '普通劳动力',
          category: '脱贫户',
          categoryFrom: '2018-12-01',
          policyYear: 2026,
          lines: '3+2',
          enrolledOn: '2026-01-01',
          accountKind: '社保卡',
          cardNumber: h.payoutAccount.cardNumber,
          bankName: h.payoutAccount.bankName,
          holderName: head.name,
          holderResidentId: head.residentId,
        },
      },
      {
        row: 3,
        cells: {
          householdId: h.householdId,
          memberId: 'm2',
          name: '李秀英',
          residentId: h.members[1]!.residentId,
          relation: '配偶',
          labour: '半劳动力',
          bankName: '另一家银行',
        },
      },
    ];
    const built = householdFromRows(rows);
    expect(built.household.enrollments.map((e) => e.line).sort()).toEqual([
      'accident',
      'crop',
      'education',
      'health',
      'property',
    ]);
    expect(built.household.members.map((m) => m.relation)).toEqual(['head', 'spouse']);
    expect(built.household.members.map((m) => m.labour)).toEqual(['ordinary', 'weak']);
    expect(built.problems).toEqual([{ row: 3, column: '开户银行', zh: '与本户第 2 行不一致（户级信息只需填在第一行）' }]);
    const wrong = householdFromRows([{ row: 2, cells: { ...rows[0]!.cells, labour: '能干活' } }]);
    expect(wrong.problems).toEqual([
      {
        row: 2,
        column: '劳动技能',
        zh: '“能干活”不是有效的劳动技能：可选 技能劳动力、普通劳动力、弱劳动力或半劳动力、丧失劳动力、无劳动力、弱劳动力、半劳动力',
      },
    ]);
  });
});
