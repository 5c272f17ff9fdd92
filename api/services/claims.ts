import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError } from '../../common/errors';
import type { InsurerDecision, PayoutResult } from '../../common/partners/messages';
import type { ClaimDocument, ClaimInput } from '../../domain/claim';
import { formatClaimNo } from '../../domain/claim';
import { shanghaiDateOf } from '../../domain/dates';
import { assessClaim } from '../../domain/assessment';
import type { Product } from '../../domain/product';
import { isInJurisdiction } from '../../domain/divisions';
import { fingerprintClaim } from '../../domain/fingerprint';
import { warningsForClaim } from '../../domain/household-change';
import type { HouseholdVersion } from '../../db/repositories/households';
import { checkPayee } from '../../domain/payee';
import type { ClaimRepository } from '../../db/repositories/claims';
import { isDuplicateKeyError } from '../../db/errors';
import type { HouseholdRepository } from '../../db/repositories/households';
import { claimWorkflowId } from '../../workflows/ids';
import {
  claimActionUpdate,
  claimStateQuery,
  householdChangedSignal,
  insurerDecisionUpdate,
  payoutResultUpdate,
  type ActionRequest,
  type ClaimState,
  type MessageAck,
} from '../../workflows/messages';
import { authorize } from '../../workflows/claim/machine';
import { initialState, type ClaimWorkflowInput } from '../../workflows/claim/state';
import { projectionOf } from '../../workflows/claim/projection';
import type { ClaimTimings } from '../../workflows/claim/timings';
import type { Actor } from '../../workflows/claim/types';
import { ClaimLineKey, ClaimStageKey, DivisionCodeKey, SlaBreachedKey } from '../../workflows/search-attributes';
import { toAppError } from './temporal-errors';

export interface ClaimServiceDeps {
  products: readonly Product[];
  claims: ClaimRepository;
  households: HouseholdRepository;
  client: Client;
  taskQueue: string;
  timings: ClaimTimings;
  now?: () => Date;
}

/** The use cases of a claim, as the API (and the demo, and tests) run them. */
export function createClaimService({
  products,
  claims,
  households,
  client,
  taskQueue,
  timings,
  now = () => new Date(),
}: ClaimServiceDeps) {
  const handle = (claimNo: string) => client.workflow.getHandle(claimWorkflowId(claimNo));

  async function start(input: ClaimInput, actor: Actor, appealOf?: string): Promise<{ claimNo: string; workflowId: string }> {
    const household = await households.find(input.householdId);
    if (!household)
      throw new AppError('UNPROCESSABLE', `Household ${input.householdId} is not registered.`, {
        fieldErrors: [{ path: 'householdId', message: 'not registered' }],
      });
    if (!isInJurisdiction(household.divisionCode, actor.jurisdiction)) {
      throw new AppError('FORBIDDEN', `Household ${input.householdId} is outside your jurisdiction.`);
    }
    if (!household.members.some((m) => m.memberId === input.memberId)) {
      throw new AppError('UNPROCESSABLE', `Member ${input.memberId} is not in household ${input.householdId}.`, {
        fieldErrors: [{ path: 'memberId', message: 'not a member of the household' }],
      });
    }
    const filedAt = now();
    const countyCode = household.divisionCode.slice(0, 6);
    const filedOn = shanghaiDateOf(filedAt);
    const numbered = (claimNo: string): ClaimWorkflowInput => ({
      claimNo,
      claim: input,
      divisionCode: household.divisionCode,
      filedBy: actor,
      filedAt: filedAt.toISOString(),
      ...(appealOf ? { appealOf } : {}),
      keys: fingerprintClaim(input),
      timings,
    });
    // The read model first, so the claim is listed at once (the workflow's own writes carry newer versions). A number
    // already used, by a claim in the database or by a workflow on the server (say, the database was restored from an
    // older backup), is skipped, never reused: a new filing never joins another claim's workflow.
    for (let attempt = 0; ; attempt++) {
      const input = numbered(formatClaimNo(filedOn, countyCode, await claims.nextSequence(countyCode, filedOn)));
      try {
        await households.snapshotForClaim(input.claimNo, household);
        await claims.insertFiled(projectionOf(initialState(input)));
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt >= 20) throw error;
        continue;
      }
      const workflowId = claimWorkflowId(input.claimNo);
      try {
        // A retried start RPC carries the same request id, which the server deduplicates; any other start of this id,
        // running or closed, is another claim's.
        await client.workflow.start('claimWorkflow', {
          workflowId,
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: ClaimStageKey, value: 'eligibility' },
            { key: ClaimLineKey, value: input.claim.line },
            { key: DivisionCodeKey, value: household.divisionCode },
            { key: SlaBreachedKey, value: false },
          ],
        });
        return { claimNo: input.claimNo, workflowId };
      } catch (error) {
        // Nothing may stay behind for a claim whose workflow never started: the caller retries (same Idempotency-Key) cleanly.
        await claims.remove(input.claimNo);
        if (!(error instanceof WorkflowExecutionAlreadyStartedError) || attempt >= 20) throw error;
      }
    }
  }

  async function checkCorrectedPayee(claimNo: string, request: Extract<ActionRequest, { action: 'correctAccount' }>) {
    const { account } = request;
    let state: ClaimState;
    try {
      state = await handle(claimNo).query(claimStateQuery);
    } catch (error) {
      return toAppError(error, claimNo);
    }
    try {
      authorize(state, request);
    } catch {
      return; // not this person's action here: the workflow refuses it with its own reason, before anything is revealed
    }
    const household = await households.find(state.claim.householdId);
    if (!household) throw new AppError('UNPROCESSABLE', `Household ${state.claim.householdId} is no longer registered.`);
    const check = checkPayee(household, state.claim.memberId, account);
    if (!check.ok) {
      throw new AppError('UNPROCESSABLE', `${check.zh}（${check.en}）`, {
        fieldErrors: [{ path: 'account.holderResidentId', message: `${check.code}: ${check.en}` }],
      });
    }
  }

  return {
    /** The payout a claim would get, with its explanation: the calculator only, nothing is written. */
    async preview(input: ClaimInput, actor: Actor) {
      const household = await households.find(input.householdId);
      if (household && !isInJurisdiction(household.divisionCode, actor.jurisdiction)) {
        throw new AppError('FORBIDDEN', `Household ${input.householdId} is outside your jurisdiction.`);
      }
      const { benefitKey } = fingerprintClaim(input);
      return assessClaim({
        household,
        claim: input,
        products,
        today: shanghaiDateOf(now()),
        yearToDate: (policyYear) =>
          claims.yearToDate({
            claimNo: '',
            householdId: input.householdId,
            memberId: input.memberId,
            line: input.line,
            policyYear,
            benefitKey,
          }),
      });
    },

    /** Files a claim: validates it against the household, numbers it and starts its workflow. */
    file: (input: ClaimInput, actor: Actor) => start(input, actor),

    /** An appeal after rejection: a new review round, as a new claim linked to the original. */
    async appeal(claimNo: string, actor: Actor, { documents, reason }: { documents: ClaimDocument[]; reason: string }) {
      const original = await this.state(claimNo);
      // Jurisdiction first: outsiders learn nothing about the claim's state.
      if (!isInJurisdiction(original.divisionCode, actor.jurisdiction))
        throw new AppError('FORBIDDEN', 'The claim is outside your jurisdiction.');
      if (original.stage !== 'closed' || original.status !== 'rejected') {
        throw new AppError(
          'CONFLICT',
          `Only a rejected claim can be appealed; ${claimNo} is ${original.status} in stage ${original.stage}.`,
          {
            stage: original.stage,
          },
        );
      }
      const input: ClaimInput = { ...original.claim, documents: [...original.claim.documents, ...documents] };
      const appeal = await start(input, actor, claimNo);
      return { ...appeal, appealOf: claimNo, reason };
    },

    async state(claimNo: string): Promise<ClaimState> {
      try {
        return await handle(claimNo).query(claimStateQuery);
      } catch (error) {
        return toAppError(error, claimNo);
      }
    },

    /**
     * A person's action, validated inside the workflow before it reaches history. A corrected payout account is
     * first checked against the household: only the insured, the head or (after a recorded death) an heir is paid.
     */
    async act(claimNo: string, request: ActionRequest): Promise<ClaimState> {
      if (request.action === 'correctAccount') await checkCorrectedPayee(claimNo, request);
      try {
        return await handle(claimNo).executeUpdate(claimActionUpdate, { args: [request] });
      } catch (error) {
        return toAppError(error, claimNo);
      }
    },

    async insurerDecision(decision: InsurerDecision): Promise<MessageAck> {
      try {
        return await handle(decision.claimNo).executeUpdate(insurerDecisionUpdate, { args: [decision] });
      } catch (error) {
        return toAppError(error, decision.claimNo);
      }
    },

    /**
     * Tells the household's open claims of an applied change that matters to them (a warning for each claim's next
     * reviewer; the claim goes on with the household as filed), then records that they were told. A signal is
     * idempotent by change id, so a change told twice (after a crash in between) warns once.
     */
    async tellOpenClaims(householdId: string, version: HouseholdVersion): Promise<string[]> {
      const told: string[] = [];
      for (const claim of await claims.openOfHousehold(householdId)) {
        const warnings = warningsForClaim(version, claim);
        if (warnings.length === 0) continue;
        try {
          await handle(claim.claimNo).signal(householdChangedSignal, { changeId: version.changeId, at: version.at, warnings });
          told.push(claim.claimNo);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error; // closed meanwhile: nothing to tell
        }
      }
      await households.markNotified(householdId, version.changeId);
      return told;
    },

    /** Tells the changes a crashed process left untold (run at start-up and now and then). */
    async tellUntoldChanges(): Promise<number> {
      const untold = await households.untold();
      for (const { householdId, version } of untold) await this.tellOpenClaims(householdId, version);
      return untold.length;
    },

    async payoutResult(result: PayoutResult): Promise<MessageAck> {
      try {
        return await handle(result.claimNo).executeUpdate(payoutResultUpdate, { args: [result] });
      } catch (error) {
        return toAppError(error, result.claimNo);
      }
    },
  };
}

export type ClaimService = ReturnType<typeof createClaimService>;
