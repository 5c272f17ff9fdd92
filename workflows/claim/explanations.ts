/**
 * What the claim workflow tells people when money rules or an impossible step stop it: explanation lines and the
 * reasons of the "needs attention" stage, in Chinese and English. Pure (workflow code).
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ExplanationLine } from '../../domain/calculator';
import { reason } from '../../domain/reasons';
import { formatYuan } from '../../domain/money';

export const NOTHING_PAYABLE = reason('NOTHING_PAYABLE');
export const CAP_EXHAUSTED = reason('CAP_EXHAUSTED');

export const LEDGER_HOLDS_NOTHING = {
  code: 'LEDGER_HOLDS_NOTHING',
  zh: '限额台账中本案已无未付的占用额度，未发出支付指令，请核对台账',
  en: 'the exposure ledger holds nothing unpaid for this claim: no payout was instructed, check the ledger',
};

/** The explanation line of a proposal cut because other claims hold part of a cap. */
export function capHeldLine(
  cutFen: number,
  cap: { zh: string; en: string; limitFen: number; othersFen: number; otherClaims: string[] } | undefined,
): ExplanationLine {
  const others = cap?.otherClaims.length ? cap.otherClaims.join('、') : '';
  return {
    code: 'CAP_HELD_BY_OTHER_CLAIMS',
    amountFen: -cutFen,
    zh: cap
      ? `${cap.zh}，其他理赔（${others}）已占用${formatYuan(cap.othersFen)}，扣减${formatYuan(cutFen)}`
      : `保险限额已被其他理赔占用，扣减${formatYuan(cutFen)}`,
    en: cap
      ? `${cap.en}: other claims (${cap.otherClaims.join(', ')}) hold ${formatYuan(cap.othersFen)}, cut ${formatYuan(cutFen)}`
      : `cap held by other claims: cut ${formatYuan(cutFen)}`,
  };
}

const IMPOSSIBLE: Record<string, { zh: string; en: string }> = {
  ERR_PARTNER_REFUSED: {
    zh: '合作方拒收了报文（非临时故障，重试无效），请核对报文与对方接口后恢复',
    en: 'the partner refused the message (not a transient fault: retrying cannot help); check it with the partner, then resume',
  },
  ERR_MEMBER_MISSING: {
    zh: '被保险人已不在该户登记中，无法向保险公司报送，请核实户籍变更后恢复',
    en: 'the insured member is no longer registered in the household: the package cannot be sent; check the change, then resume',
  },
};

/** An activity failure that retrying can never fix (a non-retryable failure of a type listed above). */
export function cannotSucceed(error: unknown): boolean {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type != null && cause.type in IMPOSSIBLE;
}

export function cannotSucceedAttention(error: unknown): { code: string; zh: string; en: string } {
  const cause = (error as ActivityFailure).cause as ApplicationFailure;
  const type = cause.type ?? 'ERR_UNKNOWN';
  const text = IMPOSSIBLE[type] ?? { zh: '无法完成的步骤', en: 'a step that cannot succeed' };
  return { code: type, zh: text.zh, en: `${text.en} (${cause.message})` };
}
