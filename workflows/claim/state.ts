/** The claim workflow's input and starting state. Pure: the API builds the first read model from the same function. */
import type { ClaimInput } from '../../domain/claim';
import type { ClaimFingerprint } from '../../domain/fingerprint';
import type { ClaimTimings } from './timings';
import type { Actor, ClaimState, PayoutAccountRef } from './types';

export interface ClaimWorkflowInput {
  claimNo: string;
  claim: ClaimInput;
  divisionCode: string;
  filedBy: Actor;
  filedAt: string;
  appealOf?: string;
  keys: ClaimFingerprint;
  timings: ClaimTimings;
  /** Set when an earlier run of this claim continued as new: the run starts from its state, not from the filing. */
  resume?: ClaimResume;
}

/**
 * What a run that continued as new hands to the next one (workflow.ts, `restartIfLong`): the whole state, how much of
 * its trail the read model has, and whether it stopped inside a running public notice (the next run then waits out
 * what is left of that notice instead of starting another).
 */
export interface ClaimResume {
  state: ClaimState;
  persistedEvents: number;
  version: number;
  inNotice: boolean;
}

const NO_ACCOUNT: PayoutAccountRef = { cardNumber: '', holderName: '', holderResidentId: '' };

export function initialState(input: ClaimWorkflowInput): ClaimState {
  const state: ClaimState = {
    claimNo: input.claimNo,
    claim: input.claim,
    divisionCode: input.divisionCode,
    filedBy: input.filedBy,
    filedAt: input.filedAt,
    ...(input.appealOf ? { appealOf: input.appealOf } : {}),
    stage: 'eligibility',
    status: 'open',
    line: input.claim.line,
    reasons: [],
    duplicateOf: [],
    objections: [],
    insurer: { round: 1, reminders: 0, escalated: false },
    approvedFen: 0,
    paidFen: 0,
    installments: [],
    account: NO_ACCOUNT,
    slaBreached: false,
    history: [],
    pending: { actions: [], roles: ['system'], jurisdiction: input.divisionCode.slice(0, 6), waitingOn: 'system' },
    seenMessageIds: [],
    keys: input.keys,
  };
  state.history.push({
    seq: 1,
    at: input.filedAt,
    actor: { userId: input.filedBy.userId, role: input.filedBy.role },
    action: 'filed',
    fromStage: 'eligibility',
    toStage: 'eligibility',
  });
  return state;
}
