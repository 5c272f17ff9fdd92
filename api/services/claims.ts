import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { AppError, fieldError } from '../../common/errors';
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
import type { DocumentRepository } from '../../db/repositories/documents';
import type { HouseholdRepository, VersionedHousehold } from '../../db/repositories/households';
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
import type { ClaimWorkflowInput } from '../../workflows/claim/state';
import { projectionOf } from '../../workflows/claim/projection';
import type { ClaimTimings } from '../../workflows/claim/timings';
import { ACTION_LABELS, STAGE_LABELS, STATUS_LABELS } from '../../domain/lifecycle';
import type { Actor } from '../../workflows/claim/types';
import { ClaimLineKey, ClaimStageKey, DivisionCodeKey, SlaBreachedKey } from '../../workflows/search-attributes';
import { claimNotFound, householdNotRegistered } from '../problems';
import { toAppError } from './temporal-errors';
import { failpoint } from '../../common/failpoints';

export interface ClaimServiceDeps {
  products: readonly Product[];
  claims: ClaimRepository;
  households: HouseholdRepository;
  /** The uploaded files: every document a claim lists must be one (by its SHA-256). */
  documents: DocumentRepository;
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
  documents: files,
  client,
  taskQueue,
  timings,
  now = () => new Date(),
}: ClaimServiceDeps) {
  const handle = (claimNo: string) => client.workflow.getHandle(claimWorkflowId(claimNo));

  /** Filing options: the Idempotency-Key's scope:key, and where to record the number before anything starts under it. */
  interface FilingOptions {
    filingKey?: string;
    onNumber?: (claimNo: string) => Promise<void>;
  }

  /** The household a claim is filed for, with the version it is filed against (read once, kept in the snapshot). */
  async function householdFor(input: ClaimInput, actor: Actor): Promise<VersionedHousehold> {
    const found = await households.findVersioned(input.householdId);
    if (!found || !isInJurisdiction(found.household.divisionCode, actor.jurisdiction))
      throw householdNotRegistered(input.householdId);
    const { household } = found;
    if (!household.members.some((m) => m.memberId === input.memberId)) {
      throw new AppError(
        'UNPROCESSABLE',
        {
          zh: `成员 ${input.memberId} 不在农户 ${input.householdId} 中。`,
          en: `Member ${input.memberId} is not in household ${input.householdId}.`,
        },
        { fieldErrors: [fieldError('memberId', '不是该户成员', 'not a member of the household')] },
      );
    }
    return found;
  }

  /**
   * Starts the claim's workflow under a number. Nothing is written to the read model here: the workflow writes the
   * claim's first projection itself, so no listed claim can exist without its workflow. The household is kept as
   * filed first (a snapshot no list shows). Returns false when the number belongs to another claim.
   */
  async function startNumbered(
    claimNo: string,
    input: ClaimInput,
    actor: Actor,
    filedAgainst: VersionedHousehold,
    { appealOf, filingKey }: { appealOf?: string; filingKey?: string },
  ): Promise<boolean> {
    const { household } = filedAgainst;
    const workflowInput: ClaimWorkflowInput = {
      claimNo,
      claim: input,
      divisionCode: household.divisionCode,
      filedBy: actor,
      filedAt: now().toISOString(),
      ...(appealOf ? { appealOf } : {}),
      keys: fingerprintClaim(input),
      timings,
    };
    await households.snapshotForClaim(claimNo, filedAgainst);
    try {
      // A retried start RPC carries the same request id, which the server deduplicates; any other start of this id,
      // running or closed, is another claim's (or, for a resumed filing, this very one's: its memo says so).
      await client.workflow.start('claimWorkflow', {
        workflowId: claimWorkflowId(claimNo),
        taskQueue,
        args: [workflowInput],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        ...(filingKey ? { memo: { filingKey } } : {}),
        typedSearchAttributes: [
          { key: ClaimStageKey, value: 'eligibility' },
          { key: ClaimLineKey, value: input.line },
          { key: DivisionCodeKey, value: household.divisionCode },
          { key: SlaBreachedKey, value: false },
        ],
      });
      return true;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      return filingKey !== undefined && (await filedUnder(claimNo)) === filingKey;
    }
  }

  /** The Idempotency-Key a claim's workflow was started under (its memo), or undefined. */
  async function filedUnder(claimNo: string): Promise<string | undefined> {
    try {
      const description = await handle(claimNo).describe();
      const key = description.memo?.filingKey;
      return typeof key === 'string' ? key : undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * Every listed document must be a file uploaded before (POST /documents): a hash alone is no evidence. Refused
   * field by field, before anything is written.
   */
  async function requireUploaded(documents: readonly ClaimDocument[], path: string): Promise<void> {
    const missing = new Set(await files.missing(documents.map((d) => d.sha256)));
    if (missing.size === 0) return;
    throw new AppError(
      'UNPROCESSABLE',
      {
        zh: `有 ${missing.size} 份材料的文件尚未上传：请先上传文件，再提交。`,
        en: `${missing.size} listed document(s) have no uploaded file: upload the files first.`,
      },
      {
        fieldErrors: documents.flatMap((d, i) =>
          missing.has(d.sha256)
            ? [
                fieldError(
                  `${path}.${i}.sha256`,
                  `未找到已上传的文件（${d.name}）`,
                  `no uploaded file with this SHA-256 (${d.name})`,
                ),
              ]
            : [],
        ),
      },
    );
  }

  async function start(
    input: ClaimInput,
    actor: Actor,
    appealOf?: string,
    options: FilingOptions = {},
  ): Promise<{ claimNo: string; workflowId: string }> {
    const filedAgainst = await householdFor(input, actor);
    await requireUploaded(input.documents, 'documents');
    const countyCode = filedAgainst.household.divisionCode.slice(0, 6);
    const filedOn = shanghaiDateOf(now());
    // A number already used, by a claim in the database or by a workflow on the server (say, the database was restored
    // from an older backup), is skipped, never reused: a new filing never joins another claim's workflow.
    for (let attempt = 0; attempt <= 20; attempt++) {
      const claimNo = formatClaimNo(filedOn, countyCode, await claims.nextSequence(countyCode, filedOn));
      if (await claims.find(claimNo)) continue;
      await options.onNumber?.(claimNo);
      failpoint('filing:number-recorded');
      if (await startNumbered(claimNo, input, actor, filedAgainst, { appealOf, filingKey: options.filingKey }))
        return { claimNo, workflowId: claimWorkflowId(claimNo) };
    }
    throw new Error(`no free claim number for ${countyCode} on ${filedOn} after 20 tries`);
  }

  /**
   * Finishes a filing whose request died midway (same Idempotency-Key, same body): the claim it numbered is found
   * again, started when it never was, or, when it never got a number, filed now. Never a second claim for one key.
   */
  async function resume(input: ClaimInput, actor: Actor, claimNo: string | undefined, options: FilingOptions) {
    if (claimNo) {
      const owner = await filedUnder(claimNo);
      if (owner === options.filingKey) return { claimNo, workflowId: claimWorkflowId(claimNo) };
      if (owner === undefined && !(await claims.find(claimNo))) {
        const filedAgainst = await householdFor(input, actor);
        if (await startNumbered(claimNo, input, actor, filedAgainst, { filingKey: options.filingKey }))
          return { claimNo, workflowId: claimWorkflowId(claimNo) };
      }
    }
    return start(input, actor, undefined, options);
  }

  /**
   * A message for a claim whose workflow has closed (Temporal answers "not found" to an update of a closed workflow):
   * answered from the closed workflow's final state; a claim that never existed stays a 404.
   */
  async function whenClosed<T>(claimNo: string, error: unknown, answer: (state: ClaimState) => T): Promise<T> {
    if (!(error instanceof WorkflowNotFoundError)) return toAppError(error, claimNo);
    let state: ClaimState;
    try {
      state = await handle(claimNo).query(claimStateQuery);
    } catch {
      return toAppError(error, claimNo);
    }
    if (state.stage !== 'closed') return toAppError(error, claimNo);
    return answer(state);
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
    if (!household)
      throw new AppError('UNPROCESSABLE', {
        zh: `农户 ${state.claim.householdId} 已不在登记中。`,
        en: `Household ${state.claim.householdId} is no longer registered.`,
      });
    const check = checkPayee(household, state.claim.memberId, account);
    if (!check.ok) {
      throw new AppError(
        'UNPROCESSABLE',
        { zh: check.zh, en: check.en },
        { fieldErrors: [fieldError('account.holderResidentId', `${check.code}：${check.zh}`, `${check.code}: ${check.en}`)] },
      );
    }
  }

  return {
    /** The payout a claim would get, with its explanation: the calculator only, nothing is written. */
    async preview(input: ClaimInput, actor: Actor) {
      const household = await households.find(input.householdId);
      // a household elsewhere previews as an unregistered one (the calculator says so): nothing about it is revealed
      const visible = household && isInJurisdiction(household.divisionCode, actor.jurisdiction) ? household : null;
      const { benefitKey } = fingerprintClaim(input);
      return assessClaim({
        household: visible,
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
    file: (input: ClaimInput, actor: Actor, options: FilingOptions = {}) => start(input, actor, undefined, options),

    /** Finishes a filing a crashed request left midway (see `resume`). */
    resumeFiling: (input: ClaimInput, actor: Actor, claimNo: string | undefined, options: FilingOptions) =>
      resume(input, actor, claimNo, options),

    /** An appeal after rejection: a new review round, as a new claim linked to the original. */
    async appeal(claimNo: string, actor: Actor, { documents, reason }: { documents: ClaimDocument[]; reason: string }) {
      const original = await this.state(claimNo);
      // Jurisdiction first: outsiders learn nothing about the claim's state.
      if (!isInJurisdiction(original.divisionCode, actor.jurisdiction)) throw claimNotFound(claimNo);
      if (original.stage !== 'closed' || original.status !== 'rejected') {
        throw new AppError(
          'CONFLICT',
          {
            zh: `只有已驳回的案件可以申诉；${claimNo} 当前为${STATUS_LABELS[original.status].zh}，处于${STAGE_LABELS[original.stage].zh}环节。`,
            en: `Only a rejected claim can be appealed; ${claimNo} is ${original.status} in stage ${original.stage}.`,
          },
          { stage: original.stage },
        );
      }
      await requireUploaded(documents, 'documents');
      const input: ClaimInput = { ...original.claim, documents: [...original.claim.documents, ...documents] };
      const appeal = await start(input, actor, claimNo);
      return { ...appeal, appealOf: claimNo, reason };
    },

    /**
     * A claim from the read model, or, filed a moment ago and not there yet (its workflow writes the first row just
     * after the 202), from its workflow: what a clerk who files and acts at once must find.
     */
    async findFiled(claimNo: string) {
      return (await claims.find(claimNo)) ?? (await this.justFiled(claimNo));
    },

    /** The projection of a claim its workflow has not written to the read model yet, from the workflow itself. */
    async justFiled(claimNo: string) {
      try {
        return { ...projectionOf(await handle(claimNo).query(claimStateQuery)), version: 0 };
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return null;
        throw error;
      }
    },

    /**
     * Removes read-model rows left by filings of earlier versions that wrote the row before starting the workflow
     * and died in between (version 0, older than `olderThanMs`, no workflow). Claims filed now never leave one.
     */
    async removeGhostClaims(olderThanMs = 300_000): Promise<string[]> {
      const removed: string[] = [];
      for (const claimNo of await claims.unstartedBefore(new Date(now().getTime() - olderThanMs).toISOString())) {
        try {
          await handle(claimNo).describe();
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          await claims.remove(claimNo);
          removed.push(claimNo);
        }
      }
      return removed;
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
      if (request.action === 'supplyDocuments') await requireUploaded(request.documents, 'documents');
      if (request.action === 'object' && request.evidence) await requireUploaded(request.evidence, 'evidence');
      if (request.action === 'resubmit' && request.changes.documents)
        await requireUploaded(request.changes.documents, 'changes.documents');
      try {
        return await handle(claimNo).executeUpdate(claimActionUpdate, { args: [request] });
      } catch (error) {
        return whenClosed(claimNo, error, (state) => {
          if (!isInJurisdiction(state.divisionCode, request.actor.jurisdiction)) throw claimNotFound(claimNo);
          throw new AppError(
            'CONFLICT',
            {
              zh: `案件 ${claimNo} 已办结（${STATUS_LABELS[state.status].zh}），不能再${ACTION_LABELS[request.action].zh}。`,
              en: `Claim ${claimNo} is closed (${state.status}): '${request.action}' is no longer possible.`,
            },
            {
              claimNo,
              failure: 'ERR_NOT_ALLOWED_IN_STAGE',
              stage: state.stage,
              status: state.status,
            },
          );
        });
      }
    },

    async insurerDecision(decision: InsurerDecision): Promise<MessageAck> {
      try {
        return await handle(decision.claimNo).executeUpdate(insurerDecisionUpdate, { args: [decision] });
      } catch (error) {
        // a closed claim takes no decision: a repeat of one it applied is a duplicate, anything else stale
        return whenClosed(decision.claimNo, error, (state) => ({
          outcome: state.seenMessageIds.includes(decision.decisionId) ? 'duplicate' : 'stale',
          stage: state.stage,
        }));
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
        return whenClosed(result.claimNo, error, (state) => ({
          outcome: state.installments.some((i) => i.idempotencyKey === result.idempotencyKey && i.status !== 'instructed')
            ? 'duplicate'
            : 'stale',
          stage: state.stage,
        }));
      }
    },
  };
}

export type ClaimService = ReturnType<typeof createClaimService>;
