/**
 * The claim's rules for people: which action fits which stage, who may take it, and what it changes. Pure and
 * deterministic, shared by the workflow's update validators and handlers (and unit-tested on its own).
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { ClaimDocument, ClaimInput } from '../../domain/claim';
import { ACTION_LABELS, ROLE_LABELS, STAGE_LABELS } from '../../domain/lifecycle';
import { isInJurisdiction } from '../../domain/divisions';
import { ClaimFailure, type ClaimFailureType } from '../failures';
import type { Actor, ClaimState, PayoutAccountRef, PendingAction, Stage, StaffRole, Status } from './types';

export type ActionRequest =
  | { action: 'review' | 'approve'; actor: Actor; reason?: string }
  | { action: 'reject'; actor: Actor; reason: string }
  | { action: 'return'; actor: Actor; reason: string; to?: 'returned' | 'village_review' | 'township_review' }
  | { action: 'object'; actor: Actor; objectorName: string; reason: string; evidence?: ClaimDocument[] }
  | { action: 'withdraw'; actor: Actor; reason: string }
  | {
      action: 'resubmit';
      actor: Actor;
      changes: Partial<Pick<ClaimInput, 'eventDate' | 'reportDate' | 'loss' | 'documents'>>;
      reason?: string;
    }
  | { action: 'supplyDocuments'; actor: Actor; documents: ClaimDocument[]; reason?: string }
  | { action: 'correctAccount'; actor: Actor; account: PayoutAccountRef; reason: string }
  | { action: 'approveAccount'; actor: Actor; reason?: string }
  | { action: 'resendToInsurer' | 'renotifyBank' | 'resume'; actor: Actor; reason: string }
  | { action: 'reassign'; actor: Actor; assignee: { userId: string; name?: string }; reason: string };

export type ActionName = ActionRequest['action'];

/** Operators' safe actions: they nudge a claim along without deciding anything, and are audited like any other. */
export const OPS_ACTIONS = ['resendToInsurer', 'renotifyBank', 'reassign', 'resume'] as const satisfies readonly ActionName[];
const isOpsAction = (action: string) => (OPS_ACTIONS as readonly string[]).includes(action);

interface Rule {
  roles: StaffRole[];
  /** The person who filed the claim may not take this action. */
  notByFiler?: boolean;
}

const STAFF: StaffRole[] = ['village', 'township', 'county'];
const withdraw: Rule = { roles: STAFF };
const OPERATORS: StaffRole[] = ['ops', 'county'];
const reassign: Rule = { roles: OPERATORS };

/** Which action each stage accepts, and from whom. Anything not listed is refused with NOT_ALLOWED_IN_STAGE. */
export const RULES: Record<Stage, Partial<Record<ActionName, Rule>>> = {
  eligibility: { withdraw },
  held_duplicate: { approve: { roles: ['county'], notByFiler: true }, reject: { roles: ['county'] }, withdraw, reassign },
  returned: { resubmit: { roles: STAFF }, withdraw, reassign },
  village_review: {
    review: { roles: ['village'], notByFiler: true },
    approve: { roles: ['village'], notByFiler: true },
    return: { roles: ['village'] },
    withdraw,
    reassign,
  },
  public_notice: { object: { roles: STAFF }, withdraw },
  township_review: {
    approve: { roles: ['township'], notByFiler: true },
    reject: { roles: ['township'] },
    return: { roles: ['township'] },
    withdraw,
    reassign,
  },
  county_approval: {
    approve: { roles: ['county'], notByFiler: true },
    reject: { roles: ['county'] },
    return: { roles: ['county'] },
    withdraw,
    reassign,
  },
  insurer_review: { withdraw, resendToInsurer: { roles: OPERATORS } },
  documents_requested: { supplyDocuments: { roles: STAFF }, withdraw, reassign },
  // the county accepts the insurer's higher amount (up to the caps) or sends the claim back to the insurer
  county_amount_review: {
    approve: { roles: ['county'], notByFiler: true },
    return: { roles: ['county'] },
    withdraw,
    reassign,
  },
  payout: { renotifyBank: { roles: OPERATORS } },
  payout_bounced: {
    correctAccount: { roles: STAFF },
    approveAccount: { roles: ['county'], notByFiler: true },
    reassign,
  },
  needs_attention: { resume: { roles: OPERATORS }, withdraw, reassign },
  closed: {},
};

const RETURN_TARGETS: Partial<Record<Stage, Stage[]>> = {
  village_review: ['returned'],
  township_review: ['returned', 'village_review'],
  county_approval: ['returned', 'village_review', 'township_review'],
  county_amount_review: ['insurer_review'],
};

/** Refuses a request, in English (the failure's message) and Chinese (its details, for the staff who read it). */
function refuse(type: ClaimFailureType, message: string, zh: string, state: ClaimState): never {
  throw ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: [{ stage: state.stage, pending: state.pending, zh }],
  });
}

const stageZh = (stage: Stage) => STAGE_LABELS[stage].zh;
const actionZh = (action: ActionRequest['action']) => ACTION_LABELS[action].zh;

/** Throws (before anything reaches history) when the request does not fit the claim's stage, role, jurisdiction or filer. */
export function authorize(state: ClaimState, request: ActionRequest): void {
  const rule = RULES[state.stage][request.action];
  if (!rule)
    refuse(
      ClaimFailure.NOT_ALLOWED_IN_STAGE,
      `'${request.action}' is not possible while the claim is in stage ${state.stage}`,
      `案件处于${stageZh(state.stage)}环节，不能${actionZh(request.action)}`,
      state,
    );
  const { actor } = request;
  if (!rule.roles.includes(actor.role)) {
    refuse(
      ClaimFailure.ROLE_NOT_PERMITTED,
      `'${request.action}' in stage ${state.stage} needs role ${rule.roles.join(' or ')}`,
      `${stageZh(state.stage)}环节的“${actionZh(request.action)}”需由${rule.roles.map((r) => ROLE_LABELS[r].zh).join('或')}办理`,
      state,
    );
  }
  if (!actor.jurisdiction || !isInJurisdiction(state.divisionCode, actor.jurisdiction)) {
    refuse(
      ClaimFailure.OUTSIDE_JURISDICTION,
      `the claim's village ${state.divisionCode} is outside jurisdiction ${actor.jurisdiction}`,
      `案件所在村 ${state.divisionCode} 不在辖区 ${actor.jurisdiction} 内`,
      state,
    );
  }
  if (rule.notByFiler && actor.userId === state.filedBy.userId) {
    refuse(ClaimFailure.SELF_APPROVAL, 'nobody may approve a claim they filed', '任何人不得审批自己经办报案的案件', state);
  }
  switch (request.action) {
    case 'return': {
      const to = request.to ?? defaultReturnTarget(state.stage);
      if (!RETURN_TARGETS[state.stage]?.includes(to))
        refuse(
          ClaimFailure.INVALID_REQUEST,
          `cannot return from ${state.stage} to ${to}`,
          `不能从${stageZh(state.stage)}退回到${stageZh(to)}`,
          state,
        );
      break;
    }
    case 'approveAccount':
      if (!state.pendingAccount)
        refuse(ClaimFailure.INVALID_REQUEST, 'no corrected account is waiting for approval', '没有待审核的更正账户', state);
      if (state.pendingAccount.correctedBy.userId === actor.userId) {
        refuse(
          ClaimFailure.SELF_APPROVAL,
          'the corrected account must be approved by someone other than the person who corrected it',
          '更正的收款账户须由更正人以外的人审核',
          state,
        );
      }
      break;
    case 'approve':
      if (state.stage === 'county_amount_review' && state.amountReview?.accepted)
        refuse(
          ClaimFailure.INVALID_REQUEST,
          "the insurer's amount was already accepted and is being applied",
          '保险公司的核赔金额已被接受，正在办理',
          state,
        );
      break;
    case 'supplyDocuments':
      if (request.documents.length === 0)
        refuse(ClaimFailure.INVALID_REQUEST, 'supply at least one document', '请至少提供一份材料', state);
      break;
    case 'resume':
      if (!state.attention)
        refuse(ClaimFailure.INVALID_REQUEST, 'nothing is waiting for attention', '没有待人工处理的异常', state);
      break;
    case 'renotifyBank':
      if (!state.installments.some((i) => i.status === 'instructed'))
        refuse(
          ClaimFailure.INVALID_REQUEST,
          'no payout instruction is waiting for the bank',
          '没有等待银行处理的支付指令',
          state,
        );
      break;
    case 'resendToInsurer':
      if (!state.insurer.deliveredAt)
        refuse(
          ClaimFailure.INVALID_REQUEST,
          'the package is still being delivered for the first time',
          '理赔材料包仍在首次推送中',
          state,
        );
      break;
    case 'reassign':
      if (request.assignee.userId === state.pending.assignee?.userId)
        refuse(
          ClaimFailure.INVALID_REQUEST,
          `the pending action is already assigned to ${request.assignee.userId}`,
          `待办事项已指派给 ${request.assignee.userId}`,
          state,
        );
      break;
    default:
      break;
  }
}

function defaultReturnTarget(stage: Stage): Stage {
  if (stage === 'county_amount_review') return 'insurer_review';
  return stage === 'county_approval' ? 'township_review' : 'returned';
}

/** Applies an authorized request. Returns the stage it moved to (the same stage for in-place changes). */
export function applyAction(state: ClaimState, request: ActionRequest, now: string, newId: () => string): Stage {
  const { actor } = request;
  const move = (to: Stage, status?: Status) =>
    transition(state, { to, status, actor, action: request.action, reason: request.reason, at: now });
  switch (request.action) {
    case 'review':
    case 'approve':
      if (state.stage === 'held_duplicate') return move('village_review');
      if (state.stage === 'village_review') return move('public_notice');
      if (state.stage === 'township_review') {
        const open = state.objections.filter((o) => !o.resolution);
        if (open.length > 0) {
          open.forEach((o) => (o.resolution = 'dismissed'));
          return move('public_notice'); // re-notice after the objection is dismissed
        }
        return move('county_approval');
      }
      if (state.stage === 'county_amount_review') {
        state.amountReview!.accepted = { by: actor.userId, at: now }; // the workflow raises the hold, then applies it
        return move('county_amount_review');
      }
      return move('insurer_review'); // county_approval
    case 'reject':
      state.objections.filter((o) => !o.resolution).forEach((o) => (o.resolution = 'upheld'));
      return move('closed', 'rejected');
    case 'return':
      if (state.stage === 'county_amount_review') {
        // back to the insurer with the county's amount: a new round, the package sent again
        state.amountReview = undefined;
        state.insurer = { round: state.insurer.round + 1, reminders: 0, escalated: state.insurer.escalated };
        return move('insurer_review');
      }
      state.objections.filter((o) => !o.resolution).forEach((o) => (o.resolution = 'returned'));
      return move(request.to ?? defaultReturnTarget(state.stage));
    case 'object':
      state.objections.push({
        objectionId: newId(),
        lodgedBy: actor,
        objectorName: request.objectorName,
        reason: request.reason,
        evidence: request.evidence ?? [],
        at: now,
        // linked to the notice it was raised against (the printed list's round)
        ...(state.stage === 'public_notice' && state.notice ? { noticeRound: state.notice.round } : {}),
      });
      return move('township_review');
    case 'withdraw':
      return move('closed', 'withdrawn');
    case 'resubmit':
      state.claim = { ...state.claim, ...request.changes };
      return move('eligibility');
    case 'supplyDocuments':
      state.claim = { ...state.claim, documents: [...state.claim.documents, ...request.documents] };
      state.insurer = { round: state.insurer.round + 1, reminders: 0, escalated: state.insurer.escalated };
      return move('insurer_review');
    case 'correctAccount':
      state.pendingAccount = { account: request.account, correctedBy: actor };
      return move('payout_bounced');
    case 'approveAccount':
      state.accountChange = {
        account: state.pendingAccount!.account,
        correctedBy: state.pendingAccount!.correctedBy.userId,
        approvedBy: actor.userId,
        at: now,
        recorded: false,
      };
      state.account = state.pendingAccount!.account;
      state.pendingAccount = undefined;
      return move('payout');
    case 'resendToInsurer':
    case 'renotifyBank':
      state.resendRequested = true; // the workflow's waiting step sends again (same delivery or idempotency key family)
      return move(state.stage);
    case 'resume': {
      const to = state.attention?.fromStage ?? 'closed';
      state.attention = undefined;
      return move(to);
    }
    case 'reassign': {
      const stage = move(state.stage);
      state.pending.assignee = { ...request.assignee, assignedBy: actor.userId, at: now };
      return stage;
    }
  }
}

/** The operator actions a stage accepts (the validator still checks each against the claim's details). */
export function operatorActions(stage: Stage): string[] {
  return Object.keys(RULES[stage]).filter(isOpsAction);
}

/** Moves the claim, records the history entry and recomputes who is expected to act. */
export function transition(
  state: ClaimState,
  {
    to,
    status,
    actor,
    action,
    reason,
    at,
  }: { to: Stage; status?: Status; actor: Pick<Actor, 'userId'> & { role: string }; action: string; reason?: string; at: string },
): Stage {
  state.history.push({
    seq: state.history.length + 1,
    at,
    actor: { userId: actor.userId, role: actor.role },
    action,
    fromStage: state.stage,
    toStage: to,
    ...(reason ? { reason } : {}),
  });
  state.stage = to;
  if (status) state.status = status;
  state.pending = pendingFor(state);
  return to;
}

/** Who is expected to act now, and how (for the API, the dashboard and SLA blame). */
export function pendingFor(state: ClaimState): PendingAction {
  const county = state.divisionCode.slice(0, 6);
  const township = state.divisionCode.slice(0, 9);
  const staff = (roles: StaffRole[], jurisdiction: string, waitingOn: PendingAction['waitingOn']): PendingAction => ({
    actions: Object.keys(RULES[state.stage]).filter((a) => a !== 'withdraw' && !isOpsAction(a)),
    roles,
    jurisdiction,
    waitingOn,
  });
  switch (state.stage) {
    case 'held_duplicate':
      return staff(['county'], county, 'county');
    case 'returned':
      return staff(STAFF, state.divisionCode, 'village');
    case 'village_review':
      return staff(['village'], state.divisionCode, 'village');
    case 'township_review':
      return staff(['township'], township, 'township');
    case 'county_approval':
    case 'county_amount_review':
      return staff(['county'], county, 'county');
    case 'needs_attention':
      return { actions: ['resume'], roles: ['ops', 'county'], jurisdiction: county, waitingOn: 'system' };
    case 'documents_requested':
      return {
        ...staff(STAFF, state.divisionCode, 'county'),
        ...(state.insurer.documentsDueAt ? { dueAt: state.insurer.documentsDueAt } : {}),
      };
    case 'payout_bounced':
      return staff(
        state.pendingAccount ? ['county'] : STAFF,
        state.pendingAccount ? county : state.divisionCode,
        state.pendingAccount ? 'county' : 'household',
      );
    case 'public_notice':
      return {
        actions: ['object'],
        roles: STAFF,
        jurisdiction: state.divisionCode,
        waitingOn: 'system',
        ...(state.notice ? { dueAt: state.notice.endsAt } : {}),
      };
    case 'insurer_review':
      return { actions: ['decide'], roles: ['insurer'], jurisdiction: county, waitingOn: 'insurer' };
    case 'payout':
      return { actions: ['confirm'], roles: ['bank'], jurisdiction: county, waitingOn: 'bank' };
    case 'eligibility':
      return { actions: [], roles: ['system'], jurisdiction: county, waitingOn: 'system' };
    case 'closed':
      return { actions: [], roles: ['system'], jurisdiction: county, waitingOn: 'system' };
  }
}
