/**
 * One workflow per claim (id `claim-<claimNo>`): the source of truth for its progress. It runs the automatic steps
 * (eligibility, cross-checks, the public-notice timer, delivery to the insurer with SLA reminders and escalation, the
 * payout), waits for people (updates validated by machine.ts) and partners (insurer and bank updates), and writes the
 * read model and audit trail after every change.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
  type ActivityFailure,
} from '@temporalio/workflow';
import type { Activities } from '../../workers/activities';
import { formatShanghai, shanghaiDateOf } from '../../domain/dates';
import { LINE_LABELS, WARNING_RULE_LABELS, type WarningRule } from '../../domain/codes';
import { startOrTellMonitoring } from '../monitoring/start';
import { monitoringTimingsOf } from '../monitoring/workflow';
import { formatYuan } from '../../domain/money';
import {
  claimActionUpdate,
  claimStateQuery,
  householdChangedSignal,
  insurerDecisionUpdate,
  payoutResultUpdate,
} from '../messages';
import { ClaimLineKey, ClaimStageKey, DivisionCodeKey, InsurerIdKey, SlaBreachedKey } from '../search-attributes';
import { applyAction, authorize, pendingFor, transition, type ActionRequest } from './machine';
import {
  applyAcceptedAmount,
  applyHouseholdNotice,
  applyInsurerDecision,
  applyPayoutResult,
  needAttention,
  unpaidApprovedFen,
} from './partner-messages';
import { projectionOf } from './projection';
import { initialState, type ClaimWorkflowInput } from './state';
import { SYSTEM_ACTOR, type Installment, type Proposal, type Stage, type Status } from './types';
import {
  CAP_EXHAUSTED,
  LEDGER_HOLDS_NOTHING,
  NOTHING_PAYABLE,
  cannotSucceed,
  cannotSucceedAttention,
  capHeldLine,
} from './explanations';

export type { ClaimWorkflowInput };

export interface ClaimOutcome {
  claimNo: string;
  status: Status;
  approvedFen: number;
  paidFen: number;
}

/**
 * A run whose history has grown past this many events continues as new when it next waits for a person, the notice
 * or the insurer. An action on a claim the worker evicted from its cache first replays the run's history, and a
 * claim's whole history (140–200 events by the time it is paid) costs about 3× the replay of a short one
 * (`npm run bench:replay`). A fresh run reaches its first wait in fewer events, so a run never restarts twice in a row.
 */
const RESTART_AFTER_EVENTS = 20;
/**
 * A run younger than this waits out the rest before it restarts (unless something happens first or its own wait ends):
 * the server holds back the first task of a run that follows a shorter one (Temporal's ContinueAsNewMinInterval, 1 s),
 * which would delay an action that came in that moment.
 */
const RESTART_AFTER_RUN_MS = 1_000;

const nowIso = (): string => new Date().toISOString();
const inMs = (ms: number): string => new Date(Date.now() + ms).toISOString();
const msUntil = (iso: string): number => Math.max(0, Date.parse(iso) - Date.now());

export async function claimWorkflow(input: ClaimWorkflowInput): Promise<ClaimOutcome> {
  const t = input.timings;
  const timeout = t.activityTimeoutMs; // milliseconds
  // Writes and partner deliveries retry until they succeed (they are idempotent); a partner's refusal is final.
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: timeout,
    retry: {
      initialInterval: '500 milliseconds',
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      nonRetryableErrorTypes: ['ERR_PARTNER_REFUSED', 'ERR_MEMBER_MISSING'],
    },
  });
  // Cross-checks give up after a few attempts: a data source outage becomes a warning, not a stuck claim.
  const lookups = proxyActivities<Activities>({
    startToCloseTimeout: timeout,
    retry: { initialInterval: '500 milliseconds', maximumAttempts: 3 },
  });

  const state = input.resume?.state ?? initialState(input);
  /**
   * Claims started before the exposure ledger replay without it (their histories have no ledger activities); every
   * new claim holds its money on the ledger, closes early when nothing is payable and is returned for missing documents.
   */
  const ledger = patched('exposure-ledger');
  /** Claims started before runs restarted at their waits replay without restarting (their histories never did). */
  const restarts = ledger && patched('continue-as-new-at-waits');
  let persistedEvents = input.resume?.persistedEvents ?? 0;
  let version = input.resume?.version ?? 0;
  let resumedInNotice = input.resume?.inNotice ?? false;

  setHandler(claimStateQuery, () => state);
  setHandler(
    claimActionUpdate,
    (request) => {
      applyAction(state, request, nowIso(), uuid4);
      return state;
    },
    { validator: (request: ActionRequest) => authorize(state, request) },
  );
  setHandler(insurerDecisionUpdate, (decision) => ({
    outcome: applyInsurerDecision(state, decision, nowIso(), inMs(t.documentsDueMs)),
    stage: state.stage,
  }));
  setHandler(payoutResultUpdate, (result) => ({ outcome: applyPayoutResult(state, result, nowIso()), stage: state.stage }));
  setHandler(householdChangedSignal, (notice) => void applyHouseholdNotice(state, notice, nowIso()));

  const move = (to: Stage, action: string, extra: { status?: Status; reason?: string } = {}) =>
    transition(state, {
      to,
      status: extra.status,
      actor: SYSTEM_ACTOR,
      action,
      reason: extra.reason,
      at: nowIso(),
    });
  const note = (action: string, reason?: string) => {
    state.history.push({
      seq: state.history.length + 1,
      at: nowIso(),
      actor: SYSTEM_ACTOR,
      action,
      fromStage: state.stage,
      toStage: state.stage,
      ...(reason ? { reason } : {}),
    });
  };
  /**
   * A condition that turns true when anything is recorded after this point. Waits use this rather than comparing
   * stages: two updates in one activation can move a claim away and back (objection, then re-notice), which a stage
   * comparison would never see.
   */
  const changed = () => {
    const seen = state.history.length;
    return () => state.history.length !== seen;
  };

  async function persist(): Promise<void> {
    while (persistedEvents < state.history.length) {
      const upTo = state.history.length;
      version += 1;
      await acts.recordClaimProgress({
        claimNo: state.claimNo,
        version,
        projection: projectionOf(state),
        events: state.history.slice(persistedEvents, upTo),
      });
      persistedEvents = upTo;
    }
    upsertSearchAttributes([
      { key: ClaimStageKey, value: state.stage },
      { key: ClaimLineKey, value: state.line },
      { key: DivisionCodeKey, value: state.divisionCode },
      { key: SlaBreachedKey, value: state.slaBreached },
      ...(state.proposal ? [{ key: InsurerIdKey, value: state.proposal.insurerId }] : []),
    ]);
  }

  /**
   * Before a wait: when this run's history is long and everything it recorded is in the read model, the claim
   * continues as new with its state (same workflow id, a new run), so an action after an eviction replays a short
   * history. `waited` is the caller's wait, marked before; `withinMs` how long that wait may last at most. Returns when
   * the run goes on instead: a short history, a wait that ends first, or something happened meanwhile (`waited` then
   * holds, so the caller's wait sees it).
   */
  async function restartIfLong(inNotice: boolean, waited: () => boolean, withinMs = Infinity): Promise<void> {
    const info = workflowInfo();
    if (!restarts || info.historyLength < RESTART_AFTER_EVENTS) return;
    const youngForMs = RESTART_AFTER_RUN_MS - (Date.now() - info.runStartTime.getTime());
    if (youngForMs > 0 && (youngForMs >= withinMs || (await condition(waited, youngForMs)))) return;
    await condition(allHandlersFinished);
    if (waited() || persistedEvents !== state.history.length) return;
    await continueAsNew<typeof claimWorkflow>({ ...input, resume: { state, persistedEvents, version, inNotice } });
  }

  async function assess(): Promise<void> {
    const assessment = await acts.assessClaim({ claimNo: state.claimNo, claim: state.claim, today: shanghaiDateOf(new Date()) });
    if (state.stage !== 'eligibility') return; // withdrawn meanwhile
    state.keys = assessment.keys;
    if (!assessment.eligible) {
      state.reasons = assessment.reasons;
      move('closed', 'auto_rejected', { status: 'rejected', reason: assessment.reasons.map((r) => r.code).join(',') });
      return;
    }
    state.reasons = [];
    state.proposal = assessment.proposal;
    state.account = assessment.account;
    if (ledger && assessment.proposal.payableFen === 0) {
      // nothing to notice, nothing to send: the explanation says why, and the claim closes now
      state.reasons = [NOTHING_PAYABLE];
      move('closed', 'nothing_payable', { status: 'rejected', reason: 'NOTHING_PAYABLE' });
      return;
    }
    const found = state.proposal.warnings;
    try {
      state.proposal.warnings = [
        ...found,
        ...(await lookups.crossCheckClaim({ claim: state.claim, claimNo: state.claimNo })).warnings,
      ];
    } catch (error) {
      state.proposal.warnings = [
        ...found,
        {
          code: 'CROSS_CHECK_UNAVAILABLE',
          zh: '数据比对暂不可用，请人工核实',
          en: `cross-checks unavailable, verify by hand (${(error as ActivityFailure).message})`,
        },
      ];
    }
    if (state.stage !== 'eligibility') return;
    const missing = assessment.proposal.missingDocuments ?? [];
    if (ledger && missing.length > 0) {
      move('returned', 'documents_missing', { reason: missing.join(',') });
      return;
    }
    state.duplicateOf = assessment.duplicateOf;
    if (assessment.duplicateOf.length > 0)
      move('held_duplicate', 'duplicate_suspected', { reason: assessment.duplicateOf.join(',') });
    else move('village_review', 'eligibility_passed');
  }

  async function publicNotice(): Promise<void> {
    let notice = resumedInNotice ? state.notice : undefined; // started by the previous run, which continued as new
    resumedInNotice = false;
    if (!notice) {
      notice = { round: (state.notice?.round ?? 0) + 1, startedAt: nowIso(), endsAt: inMs(t.noticeMs) };
      state.notice = notice;
      state.pending = pendingFor(state);
      note('notice_started', `公示至 ${formatShanghai(notice.endsAt)}（北京时间）`);
    }
    const interruption = changed(); // marked before persisting: an objection may arrive while we write
    await persist();
    if (!interruption()) await restartIfLong(true, interruption, msUntil(notice.endsAt));
    const interrupted = await condition(interruption, msUntil(notice.endsAt));
    if (!interrupted) move('township_review', 'notice_completed');
  }

  /**
   * The county approved: the claim holds its proposal on the exposure ledger, or what the caps leave of it after the
   * other claims' holds (an explanation line says so); with nothing left it closes.
   */
  async function reserve(proposal: Proposal): Promise<void> {
    const countyApprovedFen = proposal.payableFen;
    const caps = proposal.caps ?? [];
    const hold = await acts.holdExposure({ claimNo: state.claimNo, caps, wantHeldFen: countyApprovedFen, paidFen: 0 });
    state.exposure = {
      caps,
      countyApprovedFen,
      heldFen: hold.heldFen,
      synced: { heldFen: hold.heldFen, paidFen: 0, approvedFen: 0 },
    };
    if (hold.heldFen < countyApprovedFen) {
      const cut = countyApprovedFen - hold.heldFen;
      const tight = hold.shortfalls[0];
      proposal.lines = [...proposal.lines, capHeldLine(cut, tight)];
      proposal.payableFen = hold.heldFen;
    }
    if (state.stage !== 'insurer_review') return; // withdrawn meanwhile: the release at the end gives the hold back
    if (hold.heldFen === 0) {
      state.reasons = [CAP_EXHAUSTED];
      move('closed', 'cap_exhausted', { status: 'rejected', reason: hold.shortfalls.map((s) => s.bucketId).join(',') });
    } else note('exposure_reserved', `占用额度 ${formatYuan(hold.heldFen)}（县级核定 ${formatYuan(countyApprovedFen)}）`);
    await persist();
  }

  /**
   * Tells the ledger what the claim now holds and was paid: the insurer's final amount releases the rest of the
   * hold, a closed claim keeps only what was paid. Idempotent (the parts are set, not added to).
   */
  async function syncExposure(): Promise<void> {
    const hold = state.exposure;
    if (!hold) return;
    const decided = state.insurer.decision;
    const finalAmount = decided?.final && decided.approvedFen !== undefined && !state.amountReview;
    const wantHeldFen =
      state.stage === 'closed' ? state.paidFen : finalAmount ? Math.max(state.approvedFen, state.paidFen) : hold.heldFen;
    const want = { heldFen: wantHeldFen, paidFen: state.paidFen, approvedFen: state.approvedFen };
    if (
      want.heldFen === hold.synced.heldFen &&
      want.paidFen === hold.synced.paidFen &&
      want.approvedFen === hold.synced.approvedFen
    )
      return;
    const result = await acts.holdExposure({
      claimNo: state.claimNo,
      caps: hold.caps,
      wantHeldFen: want.heldFen,
      paidFen: want.paidFen,
      approvedFen: want.approvedFen,
    });
    hold.heldFen = result.heldFen;
    hold.synced = want;
  }

  /** The county accepted the insurer's higher amount: raise the hold as far as the caps allow, then apply it. */
  async function amountReview(): Promise<void> {
    const review = state.amountReview;
    if (!review?.accepted) {
      await condition(changed());
      return;
    }
    let heldFen = review.heldFen;
    if (state.exposure) {
      const result = await acts.holdExposure({
        claimNo: state.claimNo,
        caps: state.exposure.caps,
        wantHeldFen: review.insurerFen,
        paidFen: state.paidFen,
        approvedFen: state.approvedFen,
      });
      state.exposure.heldFen = heldFen = result.heldFen;
      state.exposure.synced = { heldFen, paidFen: state.paidFen, approvedFen: state.approvedFen };
    }
    if (state.stage !== 'county_amount_review') return;
    applyAcceptedAmount(state, heldFen, nowIso());
  }

  async function insurerReview(): Promise<void> {
    const proposal = state.proposal;
    if (!proposal) throw ApplicationFailure.nonRetryable('insurer review without a proposal');
    if (ledger && !state.exposure) {
      await reserve(proposal);
      if (state.stage !== 'insurer_review') return;
    }
    const round = state.insurer.round;
    /** Sends the package (or a reminder); a delivery that can never succeed stops the claim for a person instead. */
    const deliver = async (reminder: number): Promise<{ deliveredAt: string } | undefined> => {
      try {
        return await acts.deliverClaimPackage({
          claimNo: state.claimNo,
          round,
          reminder,
          claim: state.claim,
          proposal,
          divisionCode: state.divisionCode,
        });
      } catch (error) {
        if (!cannotSucceed(error)) throw error;
        needAttention(state, cannotSucceedAttention(error), SYSTEM_ACTOR, 'delivery_impossible', nowIso());
        return undefined;
      }
    };
    if (!state.insurer.deliveredAt) {
      const delivered = await deliver(0);
      if (!delivered || state.insurer.round !== round) return;
      const { deliveredAt } = delivered;
      state.insurer.deliveredAt = deliveredAt;
      note('package_delivered', `第 ${round} 轮，送 ${proposal.insurerId}`);
      await persist();
    }
    const since = Date.parse(state.insurer.deliveredAt ?? nowIso());
    const remindEvery = t.insurerRemindAfterMs[state.line];
    const escalateAt = since + t.insurerEscalateAfterMs[state.line];
    /**
     * The deadlines in the order they fell due, the next reminder a period after the last one sent: a worker that
     * wakes late (down, loaded, a run restarting) reminds before it escalates when the reminder came first, and sends
     * one reminder for all that fell due meanwhile. Claims sent before this replay the old rule (escalation first,
     * reminders on a fixed grid from the delivery, each one that fell due sent).
     */
    const inOrder = patched('insurer-deadlines-in-order');
    while (state.stage === 'insurer_review' && state.insurer.round === round) {
      if (state.resendRequested) {
        // An operator's resend counts as a reminder (the next automatic one moves a period later).
        state.resendRequested = false;
        state.insurer.reminders += 1;
        if (inOrder) state.insurer.remindedAt = nowIso();
        if (!(await deliver(state.insurer.reminders))) return;
        await persist();
        continue;
      }
      // (a claim reminded before the rule, restarting under it, keeps its place on the grid until it reminds again)
      const remindAt =
        inOrder && state.insurer.remindedAt
          ? Date.parse(state.insurer.remindedAt) + remindEvery
          : since + remindEvery * (state.insurer.reminders + 1);
      const next = state.insurer.escalated ? remindAt : Math.min(remindAt, escalateAt);
      const waited = changed();
      await restartIfLong(false, waited, next - Date.now());
      if (await condition(waited, Math.max(1, next - Date.now()))) continue; // something happened: look again
      // the wait ended at `next`: in order, the escalation is due when it came before the reminder
      if (!state.insurer.escalated && (inOrder ? escalateAt < remindAt : Date.now() >= escalateAt)) {
        state.insurer.escalated = true;
        state.slaBreached = true;
        note('sla_escalated', `${proposal.insurerId} 未在${LINE_LABELS[state.line].zh}险种的办理时限内作出决定`);
      } else {
        state.insurer.reminders += 1;
        if (inOrder) state.insurer.remindedAt = nowIso();
        note('insurer_reminded', `第 ${state.insurer.reminders} 次催办`);
        if (!(await deliver(state.insurer.reminders))) return;
      }
      await persist();
    }
  }

  async function documentsRequested(): Promise<void> {
    const due = state.insurer.documentsDueAt ?? nowIso();
    if (await condition(changed(), Math.max(1, msUntil(due)))) return;
    state.slaBreached = true;
    note('documents_overdue', `保险公司要求补充的材料应于 ${formatShanghai(due)}（北京时间）前提交`);
    const supplied = changed();
    await persist();
    await condition(supplied);
  }

  /** Sends an installment's instruction to the bank (again, for a re-send: the same key, paid at most once). */
  const instruct = (i: Installment) =>
    acts.instructPayout({
      claimNo: state.claimNo,
      idempotencyKey: i.idempotencyKey,
      installment: i.installment,
      amountFen: i.amountFen,
      account: state.account,
    });

  /** `instruct`, but a bank's permanent refusal stops the claim for a person instead of failing it. False then. */
  async function instructOrAttend(i: Installment): Promise<boolean> {
    try {
      await instruct(i);
      return true;
    } catch (error) {
      if (!cannotSucceed(error)) throw error;
      needAttention(state, cannotSucceedAttention(error), SYSTEM_ACTOR, 'payout_instruction_refused', nowIso());
      return false;
    }
  }

  async function payout(): Promise<void> {
    let current = state.installments.find((i) => i.status === 'instructed');
    if (!current && state.amountReview && !state.amountReview.accepted) {
      move('county_amount_review', 'insurer_amount_above_approval');
      return;
    }
    const change = state.accountChange;
    if (ledger && change && !change.recorded) {
      // the approved correction becomes the household's account, so its next claim is paid to the new card too
      await acts.recordPayoutAccount({
        claimNo: state.claimNo,
        householdId: state.claim.householdId,
        account: change.account,
        correctedBy: change.correctedBy,
        approvedBy: change.approvedBy,
        changeId: `${state.claimNo}:account:${change.at}`,
      });
      change.recorded = true;
      note('household_account_updated', `卡号尾号 ${change.account.cardNumber.slice(-4)}`);
    }
    if (!current) {
      let amountFen = unpaidApprovedFen(state);
      if (amountFen === 0) throw ApplicationFailure.nonRetryable('payout stage with nothing to pay');
      if (state.exposure) {
        // recomputed against the ledger just before the instruction: never more than the claim holds and was not paid
        const room = await acts.unpaidHeldExposure({ claimNo: state.claimNo, caps: state.exposure.caps });
        if (state.stage !== 'payout') return;
        if (room < amountFen) {
          if (room === 0) {
            needAttention(state, LEDGER_HOLDS_NOTHING, SYSTEM_ACTOR, 'payout_exceeds_ledger', nowIso());
            return;
          }
          note('payout_limited_by_ledger', `额度内可付 ${formatYuan(room)}（应付 ${formatYuan(amountFen)}）`);
          amountFen = room;
        }
      }
      const installment = state.installments.filter((i) => i.status === 'confirmed').length + 1;
      const attempt = state.installments.filter((i) => i.installment === installment).length + 1;
      current = {
        installment,
        attempt,
        idempotencyKey: `${state.claimNo}:${installment}:${attempt}`,
        amountFen,
        status: 'instructed',
        account: { cardLast4: state.account.cardNumber.slice(-4), holderName: state.account.holderName },
        instructedAt: nowIso(),
      };
      state.installments.push(current);
      note('payout_instructed', `第 ${installment} 期，第 ${attempt} 次发送`);
      await persist();
      if (!(await instructOrAttend(current))) return;
    }
    const instructed = current;
    // the status check comes later after each automatic re-send (backoff: ×2 each time, at most ×16)
    const checkAfterMs = t.payoutCheckAfterMs * 2 ** Math.min(instructed.resends ?? 0, 4);
    const settled = await condition(
      () => instructed.status !== 'instructed' || !!state.resendRequested || (ledger && state.stage !== 'payout'),
      checkAfterMs,
    );
    if (state.resendRequested) {
      // An operator's re-notification: the same instruction under the same idempotency key (the bank pays it once).
      state.resendRequested = false;
      if (instructed.status === 'instructed') {
        await instruct(instructed);
      }
      return;
    }
    if (settled) return;
    const receipt = await acts.checkPayout({ idempotencyKey: instructed.idempotencyKey });
    if (ledger && receipt === null && instructed.status === 'instructed' && state.stage === 'payout') {
      // The bank has no record of the instruction: sending it again under the same key is safe (a bank pays a key
      // once), so it is re-sent now, not left for a person; the trail shows each re-send.
      instructed.resends = (instructed.resends ?? 0) + 1;
      note('payout_resent', `银行没有支付指令 ${instructed.idempotencyKey} 的记录：已重发（第 ${instructed.resends} 次）`);
      await persist();
      await instructOrAttend(instructed);
      return;
    }
    // a status check confirms only the amount instructed: a receipt naming another amount (or none) waits for the result
    const confirmsInstruction = !ledger || receipt?.status !== 'confirmed' || receipt.amountFen === instructed.amountFen;
    if (receipt && receipt.status !== 'accepted' && instructed.status === 'instructed' && confirmsInstruction) {
      applyPayoutResult(
        state,
        {
          type: 'payout_result',
          idempotencyKey: receipt.idempotencyKey,
          claimNo: state.claimNo,
          bankRef: receipt.bankRef,
          status: receipt.status,
          amountFen: instructed.amountFen,
          settledAt: nowIso(),
        },
        nowIso(),
      );
    }
  }

  /** The referral's own procedure (a workflow of its own that outlives the claim); when it runs, the finding is told. */
  async function startMonitoring(referralId: string, rules: readonly WarningRule[]): Promise<void> {
    await startOrTellMonitoring(
      {
        referralId,
        householdId: state.claim.householdId,
        divisionCode: state.divisionCode,
        openedAt: nowIso(),
        timings: monitoringTimingsOf(t),
      },
      {
        key: state.claimNo,
        zh: `案件 ${state.claimNo}：${rules.map((r) => WARNING_RULE_LABELS[r].zh).join('、')}`,
        at: nowIso(),
      },
    );
  }

  for (;;) {
    await persist();
    await syncExposure();
    if (state.stage === 'closed') break;
    switch (state.stage) {
      case 'eligibility':
        await assess();
        break;
      case 'public_notice':
        await publicNotice();
        break;
      case 'insurer_review':
        await insurerReview();
        break;
      case 'documents_requested':
        await documentsRequested();
        break;
      case 'county_amount_review':
        await amountReview();
        break;
      case 'payout':
        await payout();
        break;
      default: {
        const waited = changed();
        await restartIfLong(false, waited);
        await condition(waited);
      }
    }
  }
  await condition(allHandlersFinished);
  // a paid claim is a clue for the monitoring mechanism (防返贫监测): the county's early-warning rules are applied,
  // each finding recorded once on the household's referral (claims closed before this existed replay without it)
  if (state.paidFen > 0 && patched('early-warning')) {
    const raised = await acts.raiseReferrals({
      claimNo: state.claimNo,
      claim: state.claim,
      divisionCode: state.divisionCode,
      policyYear: state.proposal?.policyYear ?? null,
      paidFen: state.paidFen,
    });
    if (raised.referralId) {
      note(
        'referral_raised',
        `已转防返贫监测核查：${raised.referralId}（${raised.rules.map((r) => WARNING_RULE_LABELS[r].zh).join('、')}）`,
      );
      await startMonitoring(raised.referralId, raised.rules);
    }
  }
  await persist();
  await syncExposure();
  return { claimNo: state.claimNo, status: state.status, approvedFen: state.approvedFen, paidFen: state.paidFen };
}
