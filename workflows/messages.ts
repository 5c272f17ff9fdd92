/**
 * Every message the claim workflow understands. The API imports these definitions; nothing else names them.
 * Human actions are one Update with a validator (an action that does not fit is refused before it reaches history);
 * partner callbacks are Updates too, so the caller learns whether a delivery was applied, a duplicate or stale.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { InsurerDecision, PayoutResult } from '../common/partners/messages';
import type { ActionRequest } from './claim/machine';
import type { MessageOutcome } from './claim/partner-messages';
import type { ClaimState, Stage } from './claim/types';

export interface MessageAck {
  outcome: MessageOutcome;
  stage: Stage;
}

export const claimStateQuery = defineQuery<ClaimState>('claimState');
export const claimActionUpdate = defineUpdate<ClaimState, [ActionRequest]>('claimAction');
export const insurerDecisionUpdate = defineUpdate<MessageAck, [InsurerDecision]>('insurerDecision');
export const payoutResultUpdate = defineUpdate<MessageAck, [PayoutResult]>('payoutResult');

/** A change to the claim's household that matters to it, told by the API once the change applied (idempotent by id). */
export interface HouseholdNotice {
  changeId: string;
  at: string;
  warnings: { code: string; zh: string; en: string }[];
}
export const householdChangedSignal = defineSignal<[HouseholdNotice]>('householdChanged');

export type { ActionRequest, ClaimState, Stage };
