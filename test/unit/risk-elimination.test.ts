import type { ApplicationFailure } from '@temporalio/common';
import { hasLabourCapacity } from '../../domain/household';
import { categoryAfterElimination, eliminationRefusal } from '../../domain/monitoring';
import { applyAction, authorize, type MonitoringState } from '../../workflows/monitoring/machine';
import { aHousehold } from '../fixtures/households';

const county = { userId: 'c1', role: 'county' as const, jurisdiction: '341324' };
const village = { userId: 'v1', role: 'village' as const, jurisdiction: '341324105003' };

describe('risk elimination’s rules (风险消除)', () => {
  const withLabour = (...labour: ('skilled' | 'ordinary' | 'weak' | 'lost' | 'none' | undefined)[]) => {
    const h = aHousehold();
    return { ...h, members: h.members.map((m, i) => ({ ...m, ...(labour[i] ? { labour: labour[i] } : {}) })) };
  };

  it('counts skilled, ordinary and weak labour as able to work; lost, none or unrecorded as not', () => {
    expect(hasLabourCapacity(withLabour('weak'), '2026-12-02')).toBe(true);
    expect(hasLabourCapacity(withLabour(undefined, 'skilled'), '2026-12-02')).toBe(true);
    expect(hasLabourCapacity(withLabour('lost', 'none'), '2026-12-02')).toBe(false);
    expect(hasLabourCapacity(withLabour(), '2026-12-02')).toBe(false);
    // a worker who left the household (or died) does not count after that day
    const left = withLabour('ordinary');
    left.members[0] = { ...left.members[0]!, leftOn: '2026-10-01' };
    expect(hasLabourCapacity(left, '2026-09-30')).toBe(true);
    expect(hasLabourCapacity(left, '2026-12-02')).toBe(false);
  });

  it('refuses a household without labour capacity and one not monitored on the day', () => {
    expect(eliminationRefusal(withLabour('none'), '2026-12-02')?.code).toBe('NO_LABOUR_CAPACITY');
    expect(eliminationRefusal(withLabour('ordinary'), '2026-12-02')).toBeNull();
    expect(eliminationRefusal(withLabour('ordinary'), '2026-08-01')?.code).toBe('NOT_MONITORED');
  });

  it('returns a household to the category it had before monitoring', () => {
    expect(categoryAfterElimination(aHousehold(), '2026-12-02')).toBe('poverty_alleviated');
    const marginal = aHousehold({
      categoryHistory: [
        { category: 'ordinary', from: '2016-01-01', to: '2025-12-31' },
        { category: 'monitored_marginal', from: '2026-01-01' },
      ],
    });
    expect(categoryAfterElimination(marginal, '2026-12-02')).toBe('ordinary');
    const unstable = aHousehold({ categoryHistory: [{ category: 'monitored_unstable', from: '2026-01-01' }] });
    expect(categoryAfterElimination(unstable, '2026-12-02')).toBe('poverty_alleviated');
    const sudden = aHousehold({ categoryHistory: [{ category: 'monitored_sudden_hardship', from: '2026-01-01' }] });
    expect(categoryAfterElimination(sudden, '2026-12-02')).toBe('ordinary');
  });

  it('takes an elimination’s verdict as eliminate, and ends in eliminated or not_eliminated', () => {
    const state: MonitoringState = {
      referralId: 'RF-20261202-00000002',
      kind: 'elimination',
      householdId: 'HH-1',
      divisionCode: '341324105003',
      stage: 'village_appraisal',
      outcome: 'open',
      openedAt: '2026-12-02T00:00:00.000Z',
      dueAt: '2026-12-17T00:00:00.000Z',
      slaBreached: false,
      objections: [],
      history: [],
    };
    const type = (request: Parameters<typeof authorize>[1]) => {
      try {
        authorize(state, request);
        return undefined;
      } catch (error) {
        return (error as ApplicationFailure).type;
      }
    };
    expect(type({ action: 'appraise', actor: village, include: true, category: 'monitored_unstable', reason: 'x' })).toBe(
      'MONITORING_INVALID',
    );
    expect(type({ action: 'appraise', actor: village, eliminate: true, reason: '收入稳定' })).toBeUndefined();
    const decided = { ...structuredClone(state), stage: 'county_decision' as const };
    applyAction(decided, { action: 'decide', actor: county, eliminate: false, reason: '暂不消除' }, '2026-12-02T03:00:00Z', '');
    expect(decided).toMatchObject({ stage: 'closed', outcome: 'not_eliminated', decision: { eliminate: false } });
    const cleared = { ...structuredClone(state), stage: 'county_decision' as const };
    applyAction(cleared, { action: 'decide', actor: county, eliminate: true, reason: '消除' }, '2026-12-02T03:00:00Z', '');
    expect(cleared.outcome).toBe('eliminated');
  });
});
