import type { ApplicationFailure } from '@temporalio/common';
import { applyAction, authorize, type MonitoringAction, type MonitoringState } from '../../workflows/monitoring/machine';

const village = { userId: 'v1', role: 'village' as const, jurisdiction: '341324105003' };
const village2 = { userId: 'v2', role: 'village' as const, jurisdiction: '341324105003' };
const township = { userId: 't1', role: 'township' as const, jurisdiction: '341324105' };
const county = { userId: 'c1', role: 'county' as const, jurisdiction: '341324' };

const fresh = (stage: MonitoringState['stage'] = 'verification'): MonitoringState => ({
  referralId: 'RF-20261202-00000001',
  householdId: 'HH-1',
  divisionCode: '341324105003',
  stage,
  outcome: 'open',
  openedAt: '2026-12-02T00:00:00.000Z',
  dueAt: '2026-12-17T00:00:00.000Z',
  slaBreached: false,
  objections: [],
  history: [],
});
const refusal = (state: MonitoringState, request: MonitoringAction) => {
  try {
    authorize(state, request);
    return undefined;
  } catch (error) {
    return (error as ApplicationFailure).type;
  }
};
const at = '2026-12-02T02:00:00.000Z';
const ends = '2026-12-07T02:00:00.000Z';

describe('the monitoring procedure’s rules', () => {
  test('each step belongs to one role, in the household’s jurisdiction, at its own stage', () => {
    const verify: MonitoringAction = { action: 'verify', actor: village, authorizationSha256: 'a'.repeat(64), findings: '核实' };
    expect(refusal(fresh(), verify)).toBeUndefined();
    expect(refusal(fresh(), { ...verify, actor: township })).toBe('MONITORING_FORBIDDEN');
    expect(refusal(fresh(), { ...verify, actor: { ...village, jurisdiction: '341324106001' } })).toBe('MONITORING_FORBIDDEN');
    expect(refusal(fresh('village_appraisal'), verify)).toBe('MONITORING_WRONG_STAGE');
  });

  test('an inclusion names a monitored category; the appraiser does not review; neither appraiser nor reviewer decides', () => {
    const s = fresh('village_appraisal');
    expect(refusal(s, { action: 'appraise', actor: village, include: true, reason: '困难' })).toBe('MONITORING_INVALID');
    expect(refusal(s, { action: 'appraise', actor: village, include: true, category: 'poverty_alleviated', reason: 'x' })).toBe(
      'MONITORING_INVALID',
    );
    expect(refusal(s, { action: 'appraise', actor: village, include: false, reason: '收入稳定' })).toBeUndefined();
    applyAction(s, { action: 'appraise', actor: village, include: true, category: 'monitored_marginal', reason: 'x' }, at, ends);
    expect(s).toMatchObject({ stage: 'public_notice', notice: { round: 1, startedAt: at, endsAt: ends } });
    applyAction(s, { action: 'object', actor: village2, objector: '村民', reason: '有异议' }, at, ends);
    expect(s).toMatchObject({ stage: 'village_appraisal', objections: [{ round: 1, objector: '村民' }] });
    applyAction(s, { action: 'appraise', actor: village2, include: true, category: 'monitored_marginal', reason: 'y' }, at, ends);
    expect(s.notice?.round).toBe(2);
    s.stage = 'township_review';
    const decideAs = (actor: typeof county) =>
      refusal(s, { action: 'decide', actor, include: true, category: 'monitored_marginal', reason: 'z' });
    applyAction(s, { action: 'review', actor: township, approve: true, reason: '属实' }, at, ends);
    expect(s.stage).toBe('county_decision');
    expect(decideAs({ ...county, userId: 't1' })).toBe('MONITORING_SAME_PERSON');
    expect(decideAs(county)).toBeUndefined();
    applyAction(s, { action: 'decide', actor: county, include: false, reason: '人均收入高于监测标准' }, at, ends);
    expect(s).toMatchObject({ stage: 'closed', outcome: 'not_included', decision: { decidedOn: '2026-12-02', include: false } });
  });
});
