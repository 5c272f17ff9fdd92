/**
 * The read model written to MongoDB after every change: what list views, filters and ops dashboards need, with
 * personal data masked. The workflow's full state stays available through the claimState query.
 */
import type { Line } from '../../domain/codes';
import { outOfPocketOf } from '../../domain/out-of-pocket';
import { shanghaiDateOf } from '../../domain/dates';
import type { Attention, ClaimState, Installment, PendingAction, Stage, Status } from './types';

export interface ClaimProjection {
  claimNo: string;
  stage: Stage;
  status: Status;
  line: Line;
  householdId: string;
  memberId: string;
  divisionCode: string;
  townshipCode: string;
  countyCode: string;
  insurerId: string | null;
  policyYear: number | null;
  eventDate: string;
  reportDate: string;
  filedBy: { userId: string; role: string };
  filedAt: string;
  /** The filing day in Asia/Shanghai (YYYY-MM-DD), for per-day charts. */
  filedOn: string;
  appealOf: string | null;
  proposedFen: number | null;
  approvedFen: number;
  paidFen: number;
  reasonCodes: string[];
  duplicateOf: string[];
  openObjections: number;
  pending: PendingAction;
  slaBreached: boolean;
  installments: Installment[];
  attention: Attention | null;
  insurerRound: number;
  lastTransitionAt: string;
  /** When the claim entered its current stage (notes such as reminders do not count): the SLA and stuck clocks. */
  stageSince: string;
  /** The current or last public notice (its round and period): the printed notice list reads it. */
  notice: { round: number; startedAt: string; endsAt: string } | null;
  /** What happened, as a code of the line's loss form (a cause, an accident's kind, an admission level); null for health, whose details a notice never shows. */
  lossKind: string | null;
  /** Health: what the household itself paid of the cost, after every reimbursement and this claim's payout (early warning). */
  outOfPocketFen: number | null;
  eventKey: string;
  documentKeys: string[];
  overlapKey: string;
  benefitKey: string;
}

export function projectionOf(state: ClaimState): ClaimProjection {
  return {
    claimNo: state.claimNo,
    stage: state.stage,
    status: state.status,
    line: state.line,
    householdId: state.claim.householdId,
    memberId: state.claim.memberId,
    divisionCode: state.divisionCode,
    townshipCode: state.divisionCode.slice(0, 9),
    countyCode: state.divisionCode.slice(0, 6),
    insurerId: state.proposal?.insurerId ?? null,
    policyYear: state.proposal?.policyYear ?? null,
    eventDate: state.claim.eventDate,
    reportDate: state.claim.reportDate,
    filedBy: { userId: state.filedBy.userId, role: state.filedBy.role },
    filedAt: state.filedAt,
    filedOn: shanghaiDateOf(new Date(state.filedAt)),
    appealOf: state.appealOf ?? null,
    proposedFen: state.proposal?.payableFen ?? null,
    approvedFen: state.approvedFen,
    paidFen: state.paidFen,
    reasonCodes: state.reasons.map((r) => r.code),
    duplicateOf: state.duplicateOf,
    openObjections: state.objections.filter((o) => !o.resolution).length,
    pending: state.pending,
    slaBreached: state.slaBreached,
    installments: state.installments,
    attention: state.attention ?? null,
    insurerRound: state.insurer.round,
    lastTransitionAt: state.history.at(-1)?.at ?? state.filedAt,
    stageSince: stageSince(state),
    notice: state.notice ?? null,
    lossKind: lossKindOf(state.claim.loss),
    outOfPocketFen: outOfPocketOf(state.claim.loss, state.paidFen),
    ...state.keys,
  };
}

function lossKindOf(loss: ClaimState['claim']['loss']): string | null {
  switch (loss.line) {
    case 'property':
    case 'crop':
      return loss.cause;
    case 'accident':
      return loss.kind;
    case 'education':
      return loss.level;
    case 'health':
      return null;
  }
}

function stageSince(state: ClaimState): string {
  for (let i = state.history.length - 1; i >= 0; i--) {
    const entry = state.history[i]!;
    if (entry.fromStage !== entry.toStage) return entry.at;
  }
  return state.filedAt;
}
