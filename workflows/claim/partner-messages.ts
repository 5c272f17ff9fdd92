/**
 * What the insurer's decisions and the bank's results do to a claim. Pure and deterministic. A message that was
 * already applied is a `duplicate`; one that no longer fits (an older round, a closed claim, an unknown payment) is
 * `stale`; both change nothing, so repeated and out-of-order deliveries are harmless.
 */
import type { InsurerDecision, PayoutResult } from '../../common/partners/messages';
import { transition } from './machine';
import type { ClaimState } from './types';

export type MessageOutcome = 'applied' | 'duplicate' | 'stale';

const MAX_REMEMBERED_IDS = 500;

function remember(state: ClaimState, id: string): void {
  state.seenMessageIds.push(id);
  if (state.seenMessageIds.length > MAX_REMEMBERED_IDS) state.seenMessageIds.shift();
}

/** Approved but neither paid nor being paid. */
export function unpaidApprovedFen(state: ClaimState): number {
  const inFlight = state.installments.filter((i) => i.status === 'instructed').reduce((sum, i) => sum + i.amountFen, 0);
  return Math.max(0, state.approvedFen - state.paidFen - inFlight);
}

export function applyInsurerDecision(state: ClaimState, d: InsurerDecision, now: string, documentsDueAt: string): MessageOutcome {
  if (state.seenMessageIds.includes(d.decisionId)) return 'duplicate';
  const awaitingFinal = state.stage === 'payout' && state.insurer.decision !== undefined && !state.insurer.decision.final;
  if (d.round !== state.insurer.round || !(state.stage === 'insurer_review' || awaitingFinal)) return 'stale';
  remember(state, d.decisionId);

  const actor = { userId: d.insurerId, role: 'insurer' };
  const final = d.outcome !== 'approved_partial' || d.final !== false;
  state.insurer.decision = {
    outcome: d.outcome,
    ...(d.approvedFen !== undefined ? { approvedFen: d.approvedFen } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.requestedDocuments ? { requestedDocuments: d.requestedDocuments } : {}),
    final,
    decidedAt: d.decidedAt,
  };
  const move = (to: ClaimState['stage'], status?: ClaimState['status']) =>
    transition(state, { to, status, actor, action: `insurer_${d.outcome}`, reason: d.reason, at: now });

  switch (d.outcome) {
    case 'approved_full':
    case 'approved_partial':
      // A decision states the total approved so far; a lower total never claws back automatically.
      state.approvedFen = Math.max(state.approvedFen, d.approvedFen ?? 0);
      if (unpaidApprovedFen(state) > 0) {
        if (state.stage !== 'payout') move('payout');
      } else if (final && state.stage === 'insurer_review') {
        move('closed', state.paidFen > 0 ? 'paid' : 'rejected');
      }
      return 'applied';
    case 'rejected':
      if (state.stage === 'insurer_review') move('closed', state.paidFen > 0 ? 'paid' : 'rejected');
      return 'applied';
    case 'documents_requested':
      state.insurer.documentsDueAt = documentsDueAt;
      move('documents_requested');
      return 'applied';
  }
}

export function applyPayoutResult(state: ClaimState, r: PayoutResult, now: string): MessageOutcome {
  const installment = state.installments.find((i) => i.idempotencyKey === r.idempotencyKey);
  if (!installment) return 'stale';
  if (installment.status !== 'instructed') return 'duplicate';
  installment.bankRef = r.bankRef;
  const actor = { userId: 'bank', role: 'bank' };
  if (r.status === 'bounced') {
    installment.status = 'bounced';
    if (r.reason) installment.reason = r.reason;
    transition(state, { to: 'payout_bounced', actor, action: 'payout_bounced', reason: r.reason, at: now });
    return 'applied';
  }
  installment.status = 'confirmed';
  state.paidFen += installment.amountFen;
  if (unpaidApprovedFen(state) === 0 && !state.installments.some((i) => i.status === 'instructed')) {
    const final = state.insurer.decision?.final ?? true;
    transition(
      state,
      final
        ? { to: 'closed', status: 'paid', actor, action: 'payout_confirmed', at: now }
        : { to: 'insurer_review', actor, action: 'payout_confirmed', at: now },
    );
  } else {
    state.history.push({
      seq: state.history.length + 1,
      at: now,
      actor,
      action: 'payout_confirmed',
      fromStage: state.stage,
      toStage: state.stage,
    });
  }
  return 'applied';
}
