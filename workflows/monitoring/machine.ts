/**
 * The monitoring procedure (防返贫动态监测, domain.md "Monitoring procedure") as a state machine, one per referral:
 * household verification with a signed authorization (入户核查核实, village) → data comparison by county departments
 * (automatic) → village appraisal (村级评议) and a public notice of at least 5 days with objections (公示) → township
 * review (乡镇核查初审) → county decision (县级比对审定). Pure: the workflow applies people's actions through
 * `authorize` (the validator: nothing refused reaches history) and `applyAction`.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Category } from '../../domain/codes';
import { shanghaiDateOf } from '../../domain/dates';
import { isInJurisdiction } from '../../domain/divisions';
import type { Actor } from '../claim/types';
import {
  MONITORED_CATEGORIES,
  MONITORING_STAGE_LABELS,
  type MonitoringOutcome,
  type MonitoringStage,
  type ReferralKind,
} from '../../domain/monitoring';

export { MONITORING_STAGES, type MonitoringOutcome, type MonitoringStage } from '../../domain/monitoring';

/**
 * An appraisal or decision agrees to the referral's proposal or not: `include` (with the monitoring category) for an
 * inclusion, `eliminate` for a risk elimination.
 */
interface Verdict {
  include?: boolean;
  eliminate?: boolean;
  category?: Category;
  reason: string;
}

export type MonitoringAction =
  | { action: 'verify'; actor: Actor; authorizationSha256: string; findings: string }
  | ({ action: 'appraise'; actor: Actor } & Verdict)
  | { action: 'object'; actor: Actor; objector: string; reason: string }
  | { action: 'review'; actor: Actor; approve: boolean; reason: string }
  | ({ action: 'decide'; actor: Actor } & Verdict);

/** Whether the verdict agrees to what the referral proposes. */
export const agrees = (kind: ReferralKind, verdict: Verdict): boolean =>
  (kind === 'elimination' ? verdict.eliminate : verdict.include) === true;

export interface MonitoringEntry {
  seq: number;
  at: string;
  actor: { userId: string; role: string; name?: string };
  action: string;
  fromStage: MonitoringStage;
  toStage: MonitoringStage;
  reason?: string;
}

export interface MonitoringState {
  referralId: string;
  /** Absent in procedures started before risk elimination existed: an inclusion. */
  kind?: ReferralKind;
  householdId: string;
  divisionCode: string;
  stage: MonitoringStage;
  outcome: MonitoringOutcome;
  openedAt: string;
  /** From clue to decision: 15 days by default (domain.md, sourced). */
  dueAt: string;
  slaBreached: boolean;
  /** The party that must act was reminded as the deadline neared (two thirds of the way: day 10 of 15). */
  reminded?: boolean;
  verification?: { by: string; at: string; authorizationSha256: string; findings: string };
  comparison?: { at: string; records: number; summary: string };
  appraisal?: { by: string; at: string; include?: boolean; eliminate?: boolean; category?: Category; reason: string };
  notice?: { round: number; startedAt: string; endsAt: string };
  objections: { at: string; objector: string; reason: string; by: string; round: number }[];
  township?: { by: string; at: string; reason: string };
  decision?: {
    by: string;
    at: string;
    decidedOn: string;
    include?: boolean;
    eliminate?: boolean;
    category?: Category;
    reason: string;
  };
  history: MonitoringEntry[];
}

/** Why an action was refused: the failure type the API maps to a status (409, 403, 422). */
export const MONITORING_REFUSALS = ['WRONG_STAGE', 'FORBIDDEN', 'SAME_PERSON', 'INVALID'] as const;
export type MonitoringRefusal = (typeof MONITORING_REFUSALS)[number];

function refuse(code: MonitoringRefusal, zh: string, en: string, state: MonitoringState): never {
  throw ApplicationFailure.create({
    type: `MONITORING_${code}`,
    message: en,
    nonRetryable: true,
    details: [{ stage: state.stage, zh }],
  });
}

const ROLE_OF: Record<MonitoringAction['action'], { roles: readonly string[]; stages: readonly MonitoringStage[] }> = {
  verify: { roles: ['village'], stages: ['verification'] },
  appraise: { roles: ['village'], stages: ['village_appraisal'] },
  object: { roles: ['village', 'township'], stages: ['public_notice'] },
  review: { roles: ['township'], stages: ['township_review'] },
  decide: { roles: ['county'], stages: ['county_decision'] },
};

/** Refuses what the actor may not do now (the update's validator). */
export function authorize(state: MonitoringState, request: MonitoringAction): void {
  const rule = ROLE_OF[request.action];
  if (!rule.stages.includes(state.stage))
    refuse(
      'WRONG_STAGE',
      `线索处于“${MONITORING_STAGE_LABELS[state.stage].zh}”环节，不能办理此操作`,
      `the referral is at ${state.stage}: ${request.action} is not possible now`,
      state,
    );
  if (!rule.roles.includes(request.actor.role) || !isInJurisdiction(state.divisionCode, request.actor.jurisdiction))
    refuse('FORBIDDEN', '您的角色或辖区不能办理此环节', 'your role or jurisdiction cannot act at this step', state);
  if (request.action === 'appraise' || request.action === 'decide') {
    const kind = state.kind ?? 'inclusion';
    const verdict = kind === 'elimination' ? request.eliminate : request.include;
    if (verdict === undefined)
      refuse(
        'INVALID',
        kind === 'elimination' ? '风险消除线索须填写是否消除（eliminate）' : '纳入监测线索须填写是否纳入（include）',
        `a ${kind} referral's verdict is ${kind === 'elimination' ? 'eliminate' : 'include'}`,
        state,
      );
    if (kind === 'inclusion' && verdict && (!request.category || !MONITORED_CATEGORIES.includes(request.category)))
      refuse('INVALID', '纳入监测须选择监测对象类别', 'an inclusion needs a monitoring category', state);
  }
  const by = request.actor.userId;
  if (request.action === 'review' && by === state.appraisal?.by)
    refuse('SAME_PERSON', '评议人不能同时初审', 'the appraiser cannot also review', state);
  if (request.action === 'decide' && (by === state.township?.by || by === state.appraisal?.by))
    refuse('SAME_PERSON', '初审或评议人不能同时审定', 'the reviewer or appraiser cannot also decide', state);
}

export function move(
  state: MonitoringState,
  to: MonitoringStage,
  action: string,
  actor: MonitoringEntry['actor'],
  at: string,
  reason?: string,
) {
  state.history.push({
    seq: state.history.length + 1,
    at,
    actor,
    action,
    fromStage: state.stage,
    toStage: to,
    ...(reason ? { reason } : {}),
  });
  state.stage = to;
}

/** Applies an authorized action. `noticeEndsAt` is when a notice started now would end. */
export function applyAction(state: MonitoringState, request: MonitoringAction, at: string, noticeEndsAt: string): void {
  const actor = {
    userId: request.actor.userId,
    role: request.actor.role,
    ...(request.actor.name ? { name: request.actor.name } : {}),
  };
  switch (request.action) {
    case 'verify':
      state.verification = {
        by: actor.userId,
        at,
        authorizationSha256: request.authorizationSha256,
        findings: request.findings,
      };
      return move(state, 'data_comparison', 'verified', actor, at, request.findings);
    case 'appraise':
      state.appraisal = { by: actor.userId, at, ...verdictOf(request) };
      state.notice = { round: (state.notice?.round ?? 0) + 1, startedAt: at, endsAt: noticeEndsAt };
      return move(state, 'public_notice', 'appraised', actor, at, request.reason);
    case 'object':
      state.objections.push({
        at,
        objector: request.objector,
        reason: request.reason,
        by: actor.userId,
        round: state.notice?.round ?? 1,
      });
      return move(state, 'village_appraisal', 'objection_recorded', actor, at, request.reason);
    case 'review':
      if (!request.approve) return move(state, 'village_appraisal', 'returned', actor, at, request.reason);
      state.township = { by: actor.userId, at, reason: request.reason };
      return move(state, 'county_decision', 'township_approved', actor, at, request.reason);
    case 'decide': {
      state.decision = { by: actor.userId, at, decidedOn: shanghaiDateOf(new Date(at)), ...verdictOf(request) };
      const yes = agrees(state.kind ?? 'inclusion', request);
      state.outcome = state.kind === 'elimination' ? (yes ? 'eliminated' : 'not_eliminated') : yes ? 'included' : 'not_included';
      return move(state, 'closed', state.outcome, actor, at, request.reason);
    }
  }
}

/** The verdict's fields as the state keeps them (only those given). */
function verdictOf(request: Verdict): Verdict {
  return {
    ...(request.include !== undefined ? { include: request.include } : {}),
    ...(request.eliminate !== undefined ? { eliminate: request.eliminate } : {}),
    ...(request.category ? { category: request.category } : {}),
    reason: request.reason,
  };
}

/**
 * A decided risk elimination that cannot be applied (the household has nobody able to work, or is monitored no
 * more): the outcome becomes `not_eliminated`, with the reason in the trail.
 */
export function refuseElimination(state: MonitoringState, at: string, reason: string): void {
  state.outcome = 'not_eliminated';
  move(state, 'closed', 'elimination_refused', { userId: 'system', role: 'system' }, at, reason);
}

/** Who must act now, in words (the queue and ops views). */
export function pendingRole(stage: MonitoringStage): string | null {
  switch (stage) {
    case 'verification':
    case 'village_appraisal':
      return 'village';
    case 'township_review':
      return 'township';
    case 'county_decision':
      return 'county';
    default:
      return null;
  }
}
