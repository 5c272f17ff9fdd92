/**
 * What the insurer's decisions and the bank's results do to a claim. Pure and deterministic. A message that was
 * already applied is a `duplicate`; one that no longer fits (an older round, a closed claim, an unknown payment) is
 * `stale`; both change nothing, so repeated and out-of-order deliveries are harmless.
 */
import type { InsurerDecision, PayoutResult } from '../../common/partners/messages';
import { transition } from './machine';
import type { ClaimState } from './types';

/**
 * `held`: an insurer amount above what the claim holds, recorded and waiting for the county; `mismatch`: a bank result
 * that does not match its instruction, recorded and never counted as paid.
 */
export type MessageOutcome = 'applied' | 'duplicate' | 'stale' | 'held' | 'mismatch';

const MAX_MISMATCHES = 20;

const MAX_REMEMBERED_IDS = 500;

function remember(state: ClaimState, id: string): void {
  state.seenMessageIds.push(id);
  if (state.seenMessageIds.length > MAX_REMEMBERED_IDS) state.seenMessageIds.shift();
}

/**
 * The most an insurer may approve for the claim without the county: what it holds on the exposure ledger (the
 * county's approval within the caps), or for a claim started before the ledger, the county-approved proposal.
 */
export function approvalCeilingFen(state: ClaimState): number {
  return state.exposure?.heldFen ?? state.proposal?.payableFen ?? 0;
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
  const decision = {
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
    case 'approved_partial': {
      const approvedFen = d.approvedFen ?? 0;
      const ceiling = approvalCeilingFen(state);
      if (approvedFen > ceiling) {
        // never applied as it stands: the county sees both amounts and accepts up to the caps, or sends it back
        state.amountReview = {
          decisionId: d.decisionId,
          outcome: d.outcome,
          insurerFen: approvedFen,
          final,
          ...(d.reason ? { reason: d.reason } : {}),
          decidedAt: d.decidedAt,
          heldFen: ceiling,
          countyApprovedFen: state.exposure?.countyApprovedFen ?? state.proposal?.payableFen ?? 0,
        };
        const why = `insurer approved ${approvedFen} fen, above the ${ceiling} fen the county approved within the caps`;
        if (state.installments.some((i) => i.status === 'instructed'))
          note(state, actor, 'insurer_amount_above_approval', why, now); // the payout step moves it once the bank settles
        else
          transition(state, { to: 'county_amount_review', actor, action: 'insurer_amount_above_approval', reason: why, at: now });
        return 'held';
      }
      state.insurer.decision = decision;
      applyApprovedTotal(state, approvedFen, final, actor, `insurer_${d.outcome}`, d.reason, now);
      return 'applied';
    }
    case 'rejected':
      state.insurer.decision = decision;
      if (state.stage === 'insurer_review') move('closed', state.paidFen > 0 ? 'paid' : 'rejected');
      return 'applied';
    case 'documents_requested':
      state.insurer.decision = decision;
      state.insurer.documentsDueAt = documentsDueAt;
      move('documents_requested');
      return 'applied';
  }
}

/** Records an approved total within the ceiling, and moves the claim to payout (or closes it when nothing is owed). */
function applyApprovedTotal(
  state: ClaimState,
  approvedFen: number,
  final: boolean,
  actor: { userId: string; role: string },
  action: string,
  reason: string | undefined,
  now: string,
): void {
  // A decision states the total approved so far; a lower total never claws back automatically.
  state.approvedFen = Math.max(state.approvedFen, approvedFen);
  const move = (to: ClaimState['stage'], status?: ClaimState['status']) =>
    transition(state, { to, status, actor, action, reason, at: now });
  if (unpaidApprovedFen(state) > 0) {
    if (state.stage !== 'payout') move('payout');
  } else if (final && state.stage !== 'payout') {
    move('closed', state.paidFen > 0 ? 'paid' : 'rejected');
  } else if (state.stage === 'county_amount_review') {
    move('insurer_review'); // a prepayment already paid in full: the insurer's final decision is still to come
  }
}

/**
 * The county accepted an insurer amount above the claim's hold: the workflow raised the hold as far as the caps allow
 * (`heldFen`), and the decision is applied with the lesser of the insurer's amount and that.
 */
export function applyAcceptedAmount(state: ClaimState, heldFen: number, now: string): void {
  const review = state.amountReview;
  if (!review) return;
  const approvedFen = Math.min(review.insurerFen, heldFen);
  state.amountReview = undefined;
  state.insurer.decision = {
    outcome: review.outcome,
    approvedFen,
    ...(review.reason ? { reason: review.reason } : {}),
    final: review.final,
    decidedAt: review.decidedAt,
  };
  const actor = { userId: review.accepted?.by ?? 'county', role: 'county' };
  const reason =
    approvedFen < review.insurerFen
      ? `accepted ${approvedFen} of the insurer's ${review.insurerFen} fen: the caps allow no more`
      : `accepted the insurer's ${approvedFen} fen`;
  applyApprovedTotal(state, approvedFen, review.final, actor, 'insurer_amount_accepted', reason, now);
}

function note(
  state: ClaimState,
  actor: { userId: string; role: string },
  action: string,
  reason: string | undefined,
  at: string,
) {
  state.history.push({
    seq: state.history.length + 1,
    at,
    actor,
    action,
    fromStage: state.stage,
    toStage: state.stage,
    ...(reason ? { reason } : {}),
  });
}

/** The claim stops for a person: the reason is kept, and `resume` brings it back to where it was. */
export function needAttention(
  state: ClaimState,
  attention: { code: string; zh: string; en: string },
  actor: { userId: string; role: string },
  action: string,
  now: string,
): void {
  const fromStage = state.stage === 'needs_attention' ? (state.attention?.fromStage ?? 'payout') : state.stage;
  state.attention = { ...attention, fromStage, at: now };
  transition(state, { to: 'needs_attention', actor, action, reason: attention.en, at: now });
}

export function applyPayoutResult(state: ClaimState, r: PayoutResult, now: string): MessageOutcome {
  const actor = { userId: 'bank', role: 'bank' };
  const installment = state.installments.find((i) => i.idempotencyKey === r.idempotencyKey);
  if (!installment) {
    if (r.status !== 'confirmed' || state.stage === 'closed') return 'stale';
    // the bank confirms a payment this claim never instructed: nothing is counted, a person must look
    needAttention(
      state,
      {
        code: 'PAYOUT_RESULT_UNKNOWN_KEY',
        zh: `银行确认了一笔未发出的支付指令（幂等键 ${r.idempotencyKey}，${r.amountFen}分），未计入已付，请与银行核对`,
        en: `the bank confirmed a payment under key ${r.idempotencyKey} (${r.amountFen} fen) that this claim never instructed: not counted as paid, reconcile with the bank`,
      },
      actor,
      'payout_result_mismatch',
      now,
    );
    return 'mismatch';
  }
  if (installment.status !== 'instructed') return 'duplicate';
  const wrongAmount = r.amountFen !== installment.amountFen;
  const wrongCard = r.cardLast4 !== undefined && r.cardLast4 !== installment.account.cardLast4;
  if (r.status === 'confirmed' && (wrongAmount || wrongCard)) {
    installment.mismatches = [
      ...(installment.mismatches ?? []),
      { amountFen: r.amountFen, ...(r.cardLast4 ? { cardLast4: r.cardLast4 } : {}), bankRef: r.bankRef, at: now },
    ].slice(-MAX_MISMATCHES);
    const what = wrongAmount
      ? {
          zh: `金额${r.amountFen}分与指令金额${installment.amountFen}分不符`,
          en: `amount ${r.amountFen} fen differs from the instructed ${installment.amountFen} fen`,
        }
      : {
          zh: `入账卡尾号${r.cardLast4}与指令卡尾号${installment.account.cardLast4}不符`,
          en: `card ending ${r.cardLast4} differs from the instructed card ending ${installment.account.cardLast4}`,
        };
    needAttention(
      state,
      {
        code: 'PAYOUT_RESULT_MISMATCH',
        zh: `银行结果与支付指令不一致：${what.zh}，未计入已付，请与银行核对`,
        en: `the bank's result does not match the instruction: ${what.en}; not counted as paid, reconcile with the bank`,
      },
      actor,
      'payout_result_mismatch',
      now,
    );
    return 'mismatch';
  }
  installment.bankRef = r.bankRef;
  installment.settledAt = now;
  if (r.status === 'bounced') {
    installment.status = 'bounced';
    if (r.reason) installment.reason = r.reason;
    transition(state, { to: 'payout_bounced', actor, action: 'payout_bounced', reason: r.reason, at: now });
    return 'applied';
  }
  installment.status = 'confirmed';
  state.paidFen += installment.amountFen;
  if (state.stage === 'needs_attention' && state.attention?.code === 'PAYOUT_RESULT_MISMATCH') state.attention = undefined;
  if (state.amountReview && !state.amountReview.accepted) {
    transition(state, { to: 'county_amount_review', actor, action: 'payout_confirmed', at: now });
  } else if (unpaidApprovedFen(state) === 0 && !state.installments.some((i) => i.status === 'instructed')) {
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

/**
 * A household change that matters to the claim (its member left or died, the category on its event date changed):
 * kept as warnings for the next reviewer, with a note in the trail. The claim goes on with the household as filed.
 */
export function applyHouseholdNotice(
  state: ClaimState,
  notice: { changeId: string; at: string; warnings: { code: string; zh: string; en: string }[] },
  now: string,
): MessageOutcome {
  if (state.seenMessageIds.includes(notice.changeId)) return 'duplicate';
  if (state.stage === 'closed' || notice.warnings.length === 0) return 'stale';
  remember(state, notice.changeId);
  state.householdWarnings = [
    ...(state.householdWarnings ?? []),
    ...notice.warnings.map((w) => ({ ...w, changeId: notice.changeId, at: notice.at })),
  ];
  note(state, { userId: 'system', role: 'system' }, 'household_changed', notice.warnings.map((w) => w.code).join(','), now);
  return 'applied';
}
