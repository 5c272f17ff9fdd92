import { ApplicationFailure } from '@temporalio/common';
import { applyAction, authorize, operatorActions, RULES, type ActionRequest } from '../../workflows/claim/machine';
import { applyAcceptedAmount, applyInsurerDecision, applyPayoutResult } from '../../workflows/claim/partner-messages';
import { initialState } from '../../workflows/claim/state';
import { STAGES, type Actor, type ClaimState, type Stage } from '../../workflows/claim/types';
import { ClaimFailure } from '../../workflows/failures';
import { fingerprintClaim } from '../../domain/fingerprint';
import { aClaim } from '../fixtures/households';
import { TEST_TIMINGS } from '../helpers/claim-harness';

const filer: Actor = { userId: 'filer', role: 'village', jurisdiction: '341324105003' };
const village: Actor = { userId: 'v2', role: 'village', jurisdiction: '341324105003' };
const township: Actor = { userId: 't1', role: 'township', jurisdiction: '341324105' };
const county: Actor = { userId: 'c1', role: 'county', jurisdiction: '341324' };
const ops: Actor = { userId: 'o1', role: 'ops', jurisdiction: '341324' };

function stateIn(stage: Stage): ClaimState {
  const claim = aClaim();
  const state = initialState({
    claimNo: 'FP-20261129-341324-000001',
    claim,
    divisionCode: '341324105003',
    filedBy: filer,
    filedAt: '2026-11-29T01:00:00.000Z',
    keys: fingerprintClaim(claim),
    timings: TEST_TIMINGS,
  });
  state.stage = stage;
  return state;
}

function failureOf(state: ClaimState, request: ActionRequest): string | undefined {
  try {
    authorize(state, request);
    return undefined;
  } catch (error) {
    if (error instanceof ApplicationFailure) return error.type ?? 'untyped';
    throw error;
  }
}

let ids = 0;
const newId = () => `id-${++ids}`;

describe('the claim state machine', () => {
  test('operator actions are offered only where they are safe, to ops and county, and never listed as the pending action', () => {
    const offered = Object.fromEntries(STAGES.map((stage) => [stage, operatorActions(stage)]));
    expect(offered).toMatchObject({
      eligibility: [],
      public_notice: [],
      insurer_review: ['resendToInsurer'],
      payout: ['renotifyBank'],
      village_review: ['reassign'],
      closed: [],
    });
    const reviewing = stateIn('village_review');
    const reassign = { action: 'reassign', actor: ops, reason: 'cover', assignee: { userId: 'v9' } } as const;
    expect(failureOf(reviewing, reassign)).toBeUndefined();
    expect(failureOf(reviewing, { ...reassign, actor: village })).toBe(ClaimFailure.ROLE_NOT_PERMITTED);
    expect(failureOf(reviewing, { ...reassign, actor: { ...ops, jurisdiction: '341322' } })).toBe(
      ClaimFailure.OUTSIDE_JURISDICTION,
    );
    applyAction(reviewing, reassign, '2026-11-29T02:00:00.000Z', newId);
    expect(reviewing.stage).toBe('village_review');
    expect(reviewing.pending).toMatchObject({
      actions: ['review', 'approve', 'return'],
      assignee: { userId: 'v9', assignedBy: 'o1' },
    });
    expect(reviewing.history.at(-1)).toMatchObject({ action: 'reassign', actor: { userId: 'o1', role: 'ops' }, reason: 'cover' });
    expect(failureOf(reviewing, reassign)).toBe(ClaimFailure.INVALID_REQUEST); // already assigned to v9

    const paying = stateIn('payout');
    expect(failureOf(paying, { action: 'renotifyBank', actor: county, reason: 'no receipt' })).toBe(ClaimFailure.INVALID_REQUEST);
    const reviewed = stateIn('insurer_review');
    expect(failureOf(reviewed, { action: 'resendToInsurer', actor: ops, reason: 'lost' })).toBe(ClaimFailure.INVALID_REQUEST);
    reviewed.insurer.deliveredAt = '2026-11-29T03:00:00.000Z';
    applyAction(reviewed, { action: 'resendToInsurer', actor: ops, reason: 'lost' }, '2026-11-29T04:00:00.000Z', newId);
    expect(reviewed).toMatchObject({ stage: 'insurer_review', resendRequested: true });
  });

  test('every stage has rules, and a closed claim accepts nothing', () => {
    expect(Object.keys(RULES).sort()).toEqual([...STAGES].sort());
    for (const action of ['approve', 'reject', 'withdraw', 'object'] as const) {
      expect(failureOf(stateIn('closed'), { action, actor: county, reason: 'x' } as ActionRequest)).toBe(
        ClaimFailure.NOT_ALLOWED_IN_STAGE,
      );
    }
  });

  test('ops and admin never decide on claims', () => {
    expect(failureOf(stateIn('county_approval'), { action: 'approve', actor: ops })).toBe(ClaimFailure.ROLE_NOT_PERMITTED);
    expect(failureOf(stateIn('village_review'), { action: 'withdraw', actor: { ...ops, role: 'admin' }, reason: 'x' })).toBe(
      ClaimFailure.ROLE_NOT_PERMITTED,
    );
  });

  test.each<[Stage, ActionRequest, string | undefined]>([
    ['village_review', { action: 'review', actor: village }, undefined],
    ['village_review', { action: 'review', actor: filer }, ClaimFailure.SELF_APPROVAL],
    [
      'village_review',
      { action: 'review', actor: { ...village, jurisdiction: '341324105004' } },
      ClaimFailure.OUTSIDE_JURISDICTION,
    ],
    ['village_review', { action: 'return', actor: village, reason: 'r', to: 'township_review' }, ClaimFailure.INVALID_REQUEST],
    ['township_review', { action: 'approve', actor: township }, undefined],
    [
      'township_review',
      { action: 'approve', actor: { ...township, jurisdiction: '341324106' } },
      ClaimFailure.OUTSIDE_JURISDICTION,
    ],
    ['township_review', { action: 'approve', actor: county }, ClaimFailure.ROLE_NOT_PERMITTED],
    ['county_approval', { action: 'approve', actor: county }, undefined],
    ['county_approval', { action: 'return', actor: county, reason: 'r', to: 'village_review' }, undefined],
    ['insurer_review', { action: 'approve', actor: county }, ClaimFailure.NOT_ALLOWED_IN_STAGE],
    ['payout', { action: 'withdraw', actor: filer, reason: 'r' }, ClaimFailure.NOT_ALLOWED_IN_STAGE],
    ['documents_requested', { action: 'supplyDocuments', actor: county, documents: [] }, ClaimFailure.INVALID_REQUEST],
    ['payout_bounced', { action: 'approveAccount', actor: county }, ClaimFailure.INVALID_REQUEST],
  ])('in %s, %j → %s', (stage, request, expected) => {
    expect(failureOf(stateIn(stage), request)).toBe(expected);
  });

  test('when an objection is dismissed, the claim is re-noticed; when upheld by rejection, it closes', () => {
    const state = stateIn('public_notice');
    applyAction(state, { action: 'object', actor: village, objectorName: '王五', reason: 'r' }, '2026-11-29T02:00:00Z', newId);
    expect(state.stage).toBe('township_review');
    expect(state.pending).toMatchObject({ roles: ['township'], jurisdiction: '341324105', waitingOn: 'township' });
    applyAction(state, { action: 'approve', actor: township }, '2026-11-29T03:00:00Z', newId);
    expect(state).toMatchObject({ stage: 'public_notice', objections: [expect.objectContaining({ resolution: 'dismissed' })] });

    const upheld = stateIn('public_notice');
    applyAction(upheld, { action: 'object', actor: village, objectorName: '王五', reason: 'r' }, '2026-11-29T02:00:00Z', newId);
    applyAction(upheld, { action: 'reject', actor: township, reason: '异议成立' }, '2026-11-29T03:00:00Z', newId);
    expect(upheld).toMatchObject({
      stage: 'closed',
      status: 'rejected',
      objections: [expect.objectContaining({ resolution: 'upheld' })],
    });
  });

  test('a corrected account needs a second person, and only then does the claim return to payout', () => {
    const state = stateIn('payout_bounced');
    const account = { cardNumber: '6217000010009999999', holderName: '张建国', holderResidentId: '34132419700315011X' };
    applyAction(state, { action: 'correctAccount', actor: county, reason: 'new card', account }, '2026-11-29T02:00:00Z', newId);
    expect(state.stage).toBe('payout_bounced');
    expect(failureOf(state, { action: 'approveAccount', actor: county })).toBe(ClaimFailure.SELF_APPROVAL);
    const second = { ...county, userId: 'c2' };
    authorize(state, { action: 'approveAccount', actor: second });
    applyAction(state, { action: 'approveAccount', actor: second }, '2026-11-29T03:00:00Z', newId);
    expect(state).toMatchObject({ stage: 'payout', account });
  });
});

describe('partner messages', () => {
  const decision = (over: object = {}) => ({
    type: 'insurer_decision' as const,
    decisionId: `d-${++ids}`,
    claimNo: 'FP-20261129-341324-000001',
    insurerId: 'picc-suzhou',
    round: 1,
    outcome: 'approved_full' as const,
    approvedFen: 100,
    decidedAt: '2026-11-29T04:00:00Z',
    ...over,
  });

  /** A claim in insurer review holding `heldFen` on the exposure ledger (the county approved that much within the caps). */
  function holding(heldFen: number, stage: Stage = 'insurer_review'): ClaimState {
    const state = stateIn(stage);
    state.exposure = { caps: [], countyApprovedFen: heldFen, heldFen, synced: { heldFen, paidFen: 0, approvedFen: 0 } };
    return state;
  }

  test('a decision is applied once; a repeat is a duplicate, an older round or a closed claim is stale', () => {
    const state = holding(100);
    const d = decision();
    expect(applyInsurerDecision(state, d, 'now', 'due')).toBe('applied');
    expect(state).toMatchObject({ stage: 'payout', approvedFen: 100 });
    expect(applyInsurerDecision(state, d, 'now', 'due')).toBe('duplicate');
    const other = holding(100);
    other.insurer.round = 2;
    expect(applyInsurerDecision(other, decision({ round: 1 }), 'now', 'due')).toBe('stale');
    expect(applyInsurerDecision(stateIn('closed'), decision(), 'now', 'due')).toBe('stale');
  });

  test('a bank result for an unknown key is stale; for a settled one, a duplicate', () => {
    const state = stateIn('payout');
    state.approvedFen = 100;
    state.installments.push({
      installment: 1,
      attempt: 1,
      idempotencyKey: 'k1',
      amountFen: 100,
      status: 'instructed',
      account: { cardLast4: '4567', holderName: '张建国' },
    });
    const result = {
      type: 'payout_result' as const,
      idempotencyKey: 'k1',
      claimNo: state.claimNo,
      bankRef: 'B1',
      status: 'confirmed' as const,
      amountFen: 100,
      settledAt: 'now',
    };
    expect(applyPayoutResult(state, { ...result, idempotencyKey: 'k9', status: 'bounced', reason: 'card_closed' }, 'now')).toBe(
      'stale',
    );
    expect(applyPayoutResult(state, result, 'now')).toBe('applied');
    expect(state).toMatchObject({ stage: 'closed', status: 'paid', paidFen: 100 });
    expect(applyPayoutResult(state, result, 'now')).toBe('duplicate');
    expect(state.paidFen).toBe(100);
  });

  test('when an insurer approves more than the claim holds, then nothing is applied and the county sees both amounts', () => {
    const state = holding(750_000);
    state.proposal = { payableFen: 750_000 } as ClaimState['proposal'];
    expect(applyInsurerDecision(state, decision({ approvedFen: 750_000_000 }), 'now', 'due')).toBe('held');
    expect(state).toMatchObject({
      stage: 'county_amount_review',
      approvedFen: 0,
      amountReview: { insurerFen: 750_000_000, heldFen: 750_000, countyApprovedFen: 750_000 },
      pending: { roles: ['county'], waitingOn: 'county' },
    });
    expect(state.insurer.decision).toBeUndefined();
    // the filer may not accept it; the county may, once
    expect(failureOf(state, { action: 'approve', actor: { ...county, userId: 'filer' } })).toBe(ClaimFailure.SELF_APPROVAL);
    applyAction(state, { action: 'approve', actor: county }, 'now', newId);
    expect(state.amountReview?.accepted).toEqual({ by: county.userId, at: 'now' });
    expect(failureOf(state, { action: 'approve', actor: county })).toBe(ClaimFailure.INVALID_REQUEST);
    // the workflow raised the hold as far as the caps allow: 2,000,000 fen of the insurer's 750,000,000
    applyAcceptedAmount(state, 2_000_000, 'now');
    expect(state).toMatchObject({ stage: 'payout', approvedFen: 2_000_000, amountReview: undefined });
    expect(state.history.at(-1)).toMatchObject({ action: 'insurer_amount_accepted', actor: { userId: county.userId } });
  });

  test('when the county sends an amount back, then the insurer gets a new round and nothing is approved', () => {
    const state = holding(100);
    expect(applyInsurerDecision(state, decision({ approvedFen: 101 }), 'now', 'due')).toBe('held');
    applyAction(state, { action: 'return', actor: county, reason: '超出县级审批金额' }, 'now', newId);
    expect(state).toMatchObject({ stage: 'insurer_review', approvedFen: 0, insurer: { round: 2, reminders: 0 } });
    expect(state.amountReview).toBeUndefined();
  });

  test('when the bank confirms another amount or card than instructed, then it is a mismatch: never paid, ops must look', () => {
    for (const wrong of [{ amountFen: 1 }, { cardLast4: '9999' }]) {
      const state = stateIn('payout');
      state.approvedFen = 750_000;
      state.installments.push({
        installment: 1,
        attempt: 1,
        idempotencyKey: 'k1',
        amountFen: 750_000,
        status: 'instructed',
        account: { cardLast4: '4567', holderName: '张建国' },
      });
      const result = {
        type: 'payout_result' as const,
        idempotencyKey: 'k1',
        claimNo: state.claimNo,
        bankRef: 'B1',
        status: 'confirmed' as const,
        amountFen: 750_000,
        cardLast4: '4567',
        settledAt: 'now',
      };
      expect(applyPayoutResult(state, { ...result, ...wrong }, 'now')).toBe('mismatch');
      expect(state).toMatchObject({
        stage: 'needs_attention',
        status: 'open',
        paidFen: 0,
        attention: { code: 'PAYOUT_RESULT_MISMATCH', fromStage: 'payout' },
        pending: { actions: ['resume'], roles: ['ops', 'county'] },
      });
      expect(state.installments[0]).toMatchObject({ status: 'instructed', mismatches: [expect.objectContaining(wrong)] });
      // the matching result, when it comes, is the payment
      expect(applyPayoutResult(state, result, 'now')).toBe('applied');
      expect(state).toMatchObject({ stage: 'closed', status: 'paid', paidFen: 750_000 });
    }
  });

  test('a confirmation under a key the claim never instructed is a mismatch; an operator resumes the claim where it was', () => {
    const state = stateIn('payout');
    const result = {
      type: 'payout_result' as const,
      idempotencyKey: 'never-sent',
      claimNo: state.claimNo,
      bankRef: 'B1',
      status: 'confirmed' as const,
      amountFen: 100,
      settledAt: 'now',
    };
    expect(applyPayoutResult(state, result, 'now')).toBe('mismatch');
    expect(state).toMatchObject({ stage: 'needs_attention', paidFen: 0, attention: { code: 'PAYOUT_RESULT_UNKNOWN_KEY' } });
    expect(failureOf(state, { action: 'resume', actor: village, reason: 'checked' })).toBe(ClaimFailure.ROLE_NOT_PERMITTED);
    applyAction(state, { action: 'resume', actor: ops, reason: '已与银行核对' }, 'now', newId);
    expect(state).toMatchObject({ stage: 'payout', attention: undefined });
    expect(failureOf(state, { action: 'resume', actor: ops, reason: 'again' })).toBe(ClaimFailure.NOT_ALLOWED_IN_STAGE);
  });
});
