import { diffHouseholds, warningsForClaim } from '../../domain/household-change';
import { aHousehold } from '../fixtures/households';

describe('what a household change touches', () => {
  const before = aHousehold();

  test('category, members leaving, dying or removed, the account and the village need approval; enrollments do not', () => {
    expect(diffHouseholds(before, { ...before, enrollments: [] })).toMatchObject({ fields: ['enrollments'], sensitive: [] });
    expect(diffHouseholds(before, before)).toMatchObject({ fields: [], sensitive: [] });
    const changed = aHousehold({
      divisionCode: '341324105004',
      members: before.members
        .filter((m) => m.memberId !== 'm3')
        .map((m) => (m.memberId === 'm2' ? { ...m, deceasedOn: '2026-08-01', leftOn: '2026-08-01' } : m)),
      categoryHistory: [{ category: 'ordinary', from: '2018-12-01' }],
      payoutAccount: { ...before.payoutAccount, cardNumber: '6217000010000000001' },
    });
    expect(diffHouseholds(before, changed).sensitive).toEqual([
      'category',
      'member_removed',
      'member_left',
      'member_died',
      'payout_account',
      'division',
    ]);
    expect(diffHouseholds(null, before).sensitive).toEqual([]); // a registration is not a change of anything
    expect(JSON.stringify(diffHouseholds(before, changed))).not.toContain('6217000010000000001');
  });

  test('an open claim is warned only of what matters to it: its own member, its event date', () => {
    const leaving = aHousehold({
      members: before.members.map((m) => (m.memberId === 'm2' ? { ...m, leftOn: '2026-08-01' } : m)),
    });
    const diff = diffHouseholds(before, leaving);
    expect(warningsForClaim(diff, { memberId: 'm1', eventDate: '2026-07-01' })).toEqual([]);
    expect(warningsForClaim(diff, { memberId: 'm2', eventDate: '2026-09-01' }).map((w) => w.code)).toEqual([
      'MEMBER_LEFT_AFTER_FILING',
    ]);
    // the fixture turns 监测对象 on 2026-09-01: a change of that date matters to a claim of 2026-09-05, not of 2026-07-01
    const later = aHousehold({
      categoryHistory: [
        { category: 'poverty_alleviated', from: '2018-12-01', to: '2026-09-30' },
        { category: 'monitored_unstable', from: '2026-10-01' },
      ],
    });
    const moved = diffHouseholds(before, later);
    expect(warningsForClaim(moved, { memberId: 'm1', eventDate: '2026-07-01' })).toEqual([]);
    expect(warningsForClaim(moved, { memberId: 'm1', eventDate: '2026-09-05' })[0]).toMatchObject({
      code: 'CATEGORY_CHANGED_ON_EVENT_DATE',
      zh: expect.stringContaining('脱贫不稳定户'),
    });
  });
});
