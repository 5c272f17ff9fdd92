/**
 * One workflow per referral (id `referral-<referralId>`): the monitoring procedure from clue to the county's decision
 * (machine.ts), with the public notice's timer, the 15-day deadline and, on inclusion, the household's new category
 * from the decision date (a risk elimination: the monitored category ends the day before). Started by the claim whose
 * payout raised the referral (the referral recorded first), or by a person's clue or elimination proposal (`opening`:
 * the workflow records the referral itself, so a crash between the two leaves nothing half-done); later findings are
 * signalled to it.
 */
import { condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import { formatShanghai, shanghaiDateOf } from '../../domain/dates';
import { PARTY_LABELS, type Party } from '../../domain/lifecycle';
import type { Activities } from '../../workers/activities';
import type { ReferralKind } from '../../domain/monitoring';
import type { ClaimTimings } from '../claim/timings';
import {
  agrees,
  applyAction,
  authorize,
  move,
  pendingRole,
  refuseElimination,
  type MonitoringAction,
  type MonitoringState,
} from './machine';
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

/** The procedure's timings as the county's claim timings set them (its notice as long as a claim's). */
export const monitoringTimingsOf = (t: ClaimTimings): MonitoringTimings => ({
  ...DEFAULT_MONITORING_TIMINGS,
  noticeMs: t.noticeMs,
  ...(t.monitoringDueMs ? { decisionDueMs: t.monitoringDueMs } : {}),
  activityTimeoutMs: t.activityTimeoutMs,
});

export interface MonitoringWorkflowInput {
  referralId: string;
  householdId: string;
  divisionCode: string;
  openedAt: string;
  timings: MonitoringTimings;
  /** Absent: an inclusion. */
  kind?: ReferralKind;
  /** A referral opened by a person: recorded by the workflow's first step. */
  opening?: { by: { userId: string; role: string; name?: string }; reason: string };
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
    ...(input.kind ? { kind: input.kind } : {}),
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

  if (input.opening) {
    const opened = await acts.openReferral({
      referralId: state.referralId,
      householdId: state.householdId,
      divisionCode: state.divisionCode,
      kind: input.kind ?? 'inclusion',
      by: input.opening.by,
      reason: input.opening.reason,
      at: input.openedAt,
    });
    if (opened.status === 'superseded') {
      state.outcome = 'superseded';
      move(state, 'closed', 'superseded', SYSTEM, nowIso(), `该户已有办理中的线索 ${opened.openReferralId}`);
      return state.outcome;
    }
  }

  /** Where the procedure is, for the referral lists and the ops views (procedures older than this record nothing). */
  const recordProgress = async () => {
    if (!patched('referral-progress')) return;
    await acts.recordReferralProgress({
      referralId: state.referralId,
      progress: {
        stage: state.stage,
        pendingRole: pendingRole(state.stage),
        dueAt: state.dueAt,
        slaBreached: state.slaBreached,
        seq: state.history.length,
      },
    });
  };

  while (state.stage !== 'closed') {
    const recording = changed();
    await recordProgress();
    if (recording()) continue; // a person acted while it was recorded: record that too, then wait on the new step
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
      // two thirds of the way to the deadline (day 10 of 15), the party that must act is reminded once
      const remindAt = Date.parse(state.openedAt) + (t.decisionDueMs * 2) / 3;
      if (!state.reminded && patched('monitoring-reminder')) {
        if (!(await condition(changed(), Math.max(0, remindAt - Date.now())))) {
          state.reminded = true;
          const party = pendingRole(state.stage);
          const who = party && party in PARTY_LABELS ? PARTY_LABELS[party as Party].zh : '经办人';
          move(
            state,
            state.stage,
            'sla_reminded',
            SYSTEM,
            nowIso(),
            `办结时限 ${formatShanghai(state.dueAt)} 将至，请${who}尽快办理`,
          );
        }
        continue;
      }
      if (!(await condition(changed(), due))) {
        state.slaBreached = true;
        move(state, state.stage, 'sla_escalated', SYSTEM, nowIso(), '自线索起超过 15 天未审定，已提请县级督办');
      }
    }
  }
  await recordProgress();
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
  if (state.kind === 'elimination' && agrees('elimination', decision)) {
    const applied = await acts.applyElimination({
      referralId: state.referralId,
      householdId: state.householdId,
      from: decision.decidedOn,
      proposedBy: state.township?.by ?? decision.by,
      decidedBy: decision.by,
    });
    if (applied.status !== 'applied') refuseElimination(state, nowIso(), applied.zh);
  }
  const { outcome } = state;
  if (outcome === 'open') throw new Error('a closed procedure has an outcome');
  await acts.closeReferral({ referralId: state.referralId, included: decision.include === true, status: outcome });
  return state.outcome;
}
