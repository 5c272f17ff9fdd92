/**
 * One test claim of a partner's sandbox (id `sandbox-<claimNo>`): its package goes to the insurer's sandbox, the
 * insurer's decisions come back through the same signed callback as live ones (applied, duplicate, stale or held, by
 * the same rules), a documents request is answered with a new round, and an approval is paid to a test card at the
 * bank's sandbox, or simulated when the bank has none. Nothing here reaches a real payout.
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { InsurerDecision, PayoutResult } from '../../common/partners/messages';
import { formatYuan } from '../../domain/money';
import type { SandboxClaimState, SandboxStage } from '../../domain/sandbox';
import type { Activities } from '../../workers/activities';

export interface SandboxClaimInput {
  claimNo: string;
  insurerId: string;
  proposedFen: number;
  productId: string;
  /** The test card paid (TEST_CARDS: confirmed, or one that bounces). */
  cardNumber: string;
  createdBy: string;
  createdAt: string;
  /** How long the insurer may take to decide, and the bank to settle, before the test claim expires. */
  waitMs: number;
}

export type SandboxOutcome = 'applied' | 'duplicate' | 'stale' | 'held' | 'mismatch';
export interface SandboxAck {
  outcome: SandboxOutcome;
  stage: SandboxStage;
}

/** A test claim re-submits after a documents request at most this many rounds (a test system asking forever stops). */
const MAX_ROUNDS = 5;

export const sandboxWorkflowId = (claimNo: string) => `sandbox-${claimNo}`;
export const sandboxStateQuery = defineQuery<SandboxClaimState>('sandboxState');
export const sandboxDecisionUpdate = defineUpdate<SandboxAck, [InsurerDecision]>('sandboxDecision');
export const sandboxPayoutResultUpdate = defineUpdate<SandboxAck, [PayoutResult]>('sandboxPayoutResult');

export async function sandboxClaimWorkflow(input: SandboxClaimInput): Promise<SandboxClaimState> {
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '500 milliseconds',
      maximumInterval: '30 seconds',
      maximumAttempts: 20,
      nonRetryableErrorTypes: ['ERR_PARTNER_REFUSED', 'ERR_NO_SANDBOX'],
    },
  });
  const state: SandboxClaimState = {
    claimNo: input.claimNo,
    insurerId: input.insurerId,
    stage: 'delivering',
    status: 'open',
    round: 1,
    proposedFen: input.proposedFen,
    productId: input.productId,
    approvedFen: null,
    payout: null,
    seen: [],
    trail: [],
    createdBy: input.createdBy,
    createdAt: input.createdAt,
    seq: 0,
  };
  const note = (code: string, zh: string, en: string) => state.trail.push({ at: new Date().toISOString(), code, zh, en });
  const project = async () => {
    state.seq += 1;
    await acts.recordSandboxClaim({ ...state, trail: [...state.trail], seen: [...state.seen] });
  };
  let decision: InsurerDecision | undefined;
  let result: PayoutResult | undefined;

  setHandler(sandboxStateQuery, () => state);
  setHandler(sandboxDecisionUpdate, (d): SandboxAck => {
    if (state.seen.includes(d.decisionId)) return { outcome: 'duplicate', stage: state.stage };
    if (state.stage !== 'with_insurer' || d.round !== state.round || decision) return { outcome: 'stale', stage: state.stage };
    if (d.approvedFen !== undefined && d.approvedFen > state.proposedFen) {
      note(
        'decision_held',
        `保险公司核定 ${formatYuan(d.approvedFen)}，超出案件金额，未采用（held）`,
        `the insurer approved ${d.approvedFen} fen, above the claim's amount: held, not applied`,
      );
      return { outcome: 'held', stage: state.stage };
    }
    state.seen.push(d.decisionId);
    decision = d;
    return { outcome: 'applied', stage: state.stage };
  });
  setHandler(sandboxPayoutResultUpdate, (r): SandboxAck => {
    const payout = state.payout;
    if (!payout || r.idempotencyKey !== payout.idempotencyKey) return { outcome: 'stale', stage: state.stage };
    if (state.seen.includes(`${r.idempotencyKey}:${r.status}`)) return { outcome: 'duplicate', stage: state.stage };
    if (state.stage !== 'payout' || result) return { outcome: 'stale', stage: state.stage };
    if (r.amountFen !== payout.amountFen || (r.cardLast4 !== undefined && r.cardLast4 !== payout.cardNumber.slice(-4))) {
      note(
        'payout_mismatch',
        '银行结果的金额或卡号与指令不符，未采用',
        "the bank's result names another amount or card than the instruction: not applied",
      );
      return { outcome: 'mismatch', stage: state.stage };
    }
    state.seen.push(`${r.idempotencyKey}:${r.status}`);
    result = r;
    return { outcome: 'applied', stage: state.stage };
  });

  const close = async (status: SandboxClaimState['status']) => {
    state.stage = 'closed';
    state.status = status;
    await project();
    return state;
  };

  note('created', '测试案件已创建', 'test claim created');
  await project();
  let deliver = true;
  for (;;) {
    if (deliver) {
      const refusal = await acts
        .deliverSandboxPackage({
          insurerId: input.insurerId,
          claimNo: input.claimNo,
          round: state.round,
          proposedFen: input.proposedFen,
          productId: input.productId,
        })
        .then(
          () => undefined,
          (error: unknown) => messageOf(error),
        );
      if (refusal !== undefined) {
        note(
          'delivery_refused',
          `测试理赔包未能送达保险公司沙箱：${refusal}`,
          `the package did not reach the insurer's sandbox: ${refusal}`,
        );
        return close('refused');
      }
      state.stage = 'with_insurer';
      note(
        'package_sent',
        `第 ${state.round} 轮理赔包已送达保险公司沙箱`,
        `round ${state.round} package delivered to the insurer's sandbox`,
      );
      await project();
    }
    deliver = true;
    if (!(await condition(() => decision !== undefined, input.waitMs))) {
      note('expired', '保险公司未在时限内作出决定', 'the insurer did not decide in time');
      return close('expired');
    }
    const d = decision!;
    decision = undefined;
    if (d.outcome === 'documents_requested') {
      const kinds = d.requestedDocuments ?? [];
      if (state.round >= MAX_ROUNDS) {
        note(
          'too_many_rounds',
          `已补充材料 ${MAX_ROUNDS} 轮，测试案件结束`,
          `documents were requested ${MAX_ROUNDS} times: the test claim ends`,
        );
        return close('expired');
      }
      note(
        'documents_requested',
        `保险公司要求补充材料：${kinds.join('、')}；已自动重新提交`,
        `the insurer asked for ${kinds.join(', ')}: re-submitted automatically`,
      );
      state.round += 1;
      state.stage = 'delivering';
      continue;
    }
    if (d.outcome === 'rejected') {
      note('rejected', `保险公司拒赔：${d.reason ?? ''}`, `the insurer rejected: ${d.reason ?? ''}`);
      return close('rejected');
    }
    state.approvedFen = d.approvedFen ?? 0;
    note('approved', `保险公司核定 ${formatYuan(state.approvedFen)}`, `the insurer approved ${state.approvedFen} fen`);
    if (d.outcome !== 'approved_partial' || d.final !== false) break;
    // a prepayment of the certain part: the round's final decision follows, without the package being sent again
    deliver = false;
    await project();
  }

  const approvedFen = state.approvedFen ?? 0;
  const idempotencyKey = `${input.claimNo}:1:1`;
  state.stage = 'payout';
  const receipt = await acts.instructSandboxPayout({
    idempotencyKey,
    claimNo: input.claimNo,
    amountFen: approvedFen,
    cardNumber: input.cardNumber,
  });
  state.payout = {
    idempotencyKey,
    amountFen: approvedFen,
    cardNumber: input.cardNumber,
    simulated: receipt.simulated,
    bankRef: receipt.bankRef,
    status: 'instructed',
    reason: null,
  };
  if (receipt.simulated) {
    state.payout.status = 'confirmed';
    note(
      'payout_simulated',
      '银行未设沙箱：模拟到账，未向任何银行发送',
      'the bank has no sandbox: payout simulated, nothing sent to any bank',
    );
    return close('paid');
  }
  note(
    'payout_instructed',
    `测试支付指令已发往银行沙箱（${formatYuan(approvedFen)}）`,
    `test payout instructed to the bank's sandbox (${approvedFen} fen)`,
  );
  await project();
  if (!(await condition(() => result !== undefined, input.waitMs))) {
    note('expired', '银行沙箱未在时限内回传结果', "the bank's sandbox sent no result in time");
    return close('expired');
  }
  state.payout.status = result!.status;
  state.payout.reason = result!.reason ?? null;
  note(
    `payout_${result!.status}`,
    result!.status === 'confirmed' ? '银行沙箱确认到账（测试卡）' : `银行沙箱退票：${result!.reason ?? ''}`,
    result!.status === 'confirmed'
      ? "the bank's sandbox confirmed (test card)"
      : `the bank's sandbox bounced: ${result!.reason ?? ''}`,
  );
  return close(result!.status === 'confirmed' ? 'paid' : 'bounced');
}

const messageOf = (error: unknown): string => {
  const cause = (error as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause : error;
  return inner instanceof Error ? inner.message : String(inner);
};
