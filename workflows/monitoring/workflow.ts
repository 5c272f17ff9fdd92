/**
 * One workflow per referral (id `referral-<referralId>`): the monitoring procedure from clue to the county's decision
 * (machine.ts), with the public notice's timer, the 15-day deadline and, on inclusion, the household's new category
 * from the decision date. Started by the claim whose payout raised the referral; later findings are signalled to it.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { shanghaiDateOf } from '../../domain/dates';
import type { Activities } from '../../workers/activities';
import { applyAction, authorize, move, type MonitoringAction, type MonitoringState } from './machine';
import { monitoringActionUpdate, monitoringStateQuery, referralFindingSignal } from './messages';

export { monitoringWorkflowId } from './messages';

export interface MonitoringTimings {
  /** At least 5 days (domain.md, sourced). */
  noticeMs: number;
  /** From clue to decision: 15 days (sourced). */
  decisionDueMs: number;
  activityTimeoutMs: number;
}

export const DEFAULT_MONITORING_TIMINGS: MonitoringTimings = {
  noticeMs: 5 * 86_400_000,
  decisionDueMs: 15 * 86_400_000,
  activityTimeoutMs: 30_000,
};

export interface MonitoringWorkflowInput {
  referralId: string;
  householdId: string;
  divisionCode: string;
  openedAt: string;
  timings: MonitoringTimings;
}

const SYSTEM = { userId: 'system', role: 'system' };
const nowIso = () => new Date().toISOString();

export async function monitoringWorkflow(input: MonitoringWorkflowInput): Promise<MonitoringState['outcome']> {
  const t = input.timings;
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: t.activityTimeoutMs,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  const state: MonitoringState = {
    referralId: input.referralId,
    householdId: input.householdId,
    divisionCode: input.divisionCode,
    stage: 'verification',
    outcome: 'open',
    openedAt: input.openedAt,
    dueAt: new Date(Date.parse(input.openedAt) + t.decisionDueMs).toISOString(),
    slaBreached: false,
    objections: [],
    history: [],
  };
  const seen = new Set<string>();
  setHandler(monitoringStateQuery, () => state);
  setHandler(
    monitoringActionUpdate,
    (request) => {
      const at = nowIso();
      applyAction(state, request, at, new Date(Date.now() + t.noticeMs).toISOString());
      return state;
    },
    { validator: (request: MonitoringAction) => authorize(state, request) },
  );
  setHandler(referralFindingSignal, (finding) => {
    if (seen.has(finding.key)) return;
    seen.add(finding.key);
    move(state, state.stage, 'finding_added', SYSTEM, finding.at, finding.zh);
  });
  const changed = () => {
    const length = state.history.length;
    return () => state.history.length !== length;
  };

  while (state.stage !== 'closed') {
    const due = Math.max(0, Date.parse(state.dueAt) - Date.now());
    if (state.stage === 'data_comparison') {
      const found = await acts.compareMonitoringData({ householdId: state.householdId, asOf: shanghaiDateOf(new Date()) });
      state.comparison = { at: nowIso(), ...found };
      move(state, 'village_appraisal', 'data_compared', SYSTEM, nowIso(), found.summary);
    } else if (state.stage === 'public_notice') {
      const notice = state.notice!;
      const moved = await condition(changed(), Math.max(0, Date.parse(notice.endsAt) - Date.now()));
      if (!moved && state.stage === 'public_notice') move(state, 'township_review', 'notice_ended', SYSTEM, nowIso());
    } else {
      if (state.slaBreached) {
        await condition(changed());
        continue;
      }
      if (!(await condition(changed(), due))) {
        state.slaBreached = true;
        move(state, state.stage, 'sla_escalated', SYSTEM, nowIso(), '自线索起超过 15 天未审定，已提请县级督办');
      }
    }
  }
  const decision = state.decision!;
  if (decision.include && decision.category)
    await acts.applyInclusion({
      referralId: state.referralId,
      householdId: state.householdId,
      category: decision.category,
      from: decision.decidedOn,
      proposedBy: state.township?.by ?? decision.by,
      decidedBy: decision.by,
    });
  await acts.closeReferral({ referralId: state.referralId, included: decision.include });
  return state.outcome;
}
