/**
 * The bank's side of the protocol, checked from fangpin's: the kit sends payout instructions to `POST {bank}/payouts`
 * (valid ones, repeats, conflicts and ones it must refuse), asks `POST {bank}/payouts/status`, and judges the results
 * the bank posts back to the kit's receiver (standing in for fangpin's `/partners/bank/payouts`).
 */
import { randomUUID } from 'node:crypto';
import { pollUntil } from '../../common/poll';
import { BOUNCE_REASONS, PayoutReceiptSchema, PayoutResultSchema, type BounceReason } from '../../common/partners/messages';
import { TEST_CARDS, testPayoutInstruction } from '../../common/partners/sandbox-conventions';
import { shanghaiDateOf } from '../../domain/dates';
import { check, verdict, type CheckResult } from './report';
import type { KitReceiver, RecordedMessage } from './receiver';
import { describeStatus, send, type Breakage } from './send';

const bounceCheck = (reason: BounceReason) => ({
  id: `result.bounced.${reason}`,
  zh: `测试卡退票：结果为 bounced，原因 ${reason}`,
  en: `the test card for ${reason} bounces with that reason`,
});

export const BANK_CHECKS = {
  payoutValid: {
    id: 'payout.valid',
    zh: '有效支付指令被受理（201，回执金额与幂等键一致）',
    en: 'a valid instruction is accepted (201, receipt with its key and amount)',
  },
  payoutUnsigned: { id: 'payout.unsigned', zh: '无签名的支付指令被拒绝（401）', en: 'an unsigned instruction is refused (401)' },
  payoutWrongKey: {
    id: 'payout.wrong_key',
    zh: '错误密钥签名的支付指令被拒绝（401）',
    en: 'an instruction signed with a wrong key is refused (401)',
  },
  payoutStale: {
    id: 'payout.stale',
    zh: '时间戳超出重放窗口的指令被拒绝（401）',
    en: 'an instruction outside the replay window is refused (401)',
  },
  payoutModified: {
    id: 'payout.modified_body',
    zh: '签名后被篡改的指令被拒绝（401）',
    en: 'an instruction changed after signing is refused (401)',
  },
  payoutInvalid: {
    id: 'payout.invalid_body',
    zh: '金额不合规（0 或非整数分）的指令被拒绝（400）',
    en: 'an instruction with a zero or fractional amount is refused (400)',
  },
  payoutRefusedNoEffect: {
    id: 'payout.refused_no_effect',
    zh: '被拒绝的指令不入账、无结果',
    en: 'refused instructions book nothing and get no result',
  },
  payoutRepeat: {
    id: 'payout.repeat',
    zh: '同一幂等键再次发送：200，回执相同，只付一次',
    en: 'the same key again: 200, the same receipt, paid once',
  },
  payoutConcurrent: {
    id: 'payout.concurrent',
    zh: '同一幂等键并发发送 5 次：只受理一次',
    en: 'five concurrent sends of one key: booked once',
  },
  payoutConflict: {
    id: 'payout.conflict',
    zh: '同一幂等键、不同内容的指令被拒绝（409）',
    en: 'the same key with a different instruction is refused (409)',
  },
  statusKnown: {
    id: 'status.known',
    zh: '查询已受理指令的状态：回执与受理时一致',
    en: 'the status of a booked instruction matches its receipt',
  },
  statusUnknown: { id: 'status.unknown', zh: '查询未知幂等键：404', en: 'the status of an unknown key is 404' },
  statusSettled: {
    id: 'status.settled',
    zh: '结算后查询状态与回传结果一致',
    en: 'after settlement the status matches the result sent',
  },
  resultConfirmed: {
    id: 'result.confirmed',
    zh: '到账结果：签名有效，幂等键、案件、金额、卡号后四位、银行流水号与指令一致',
    en: 'the confirmed result is signed and matches the instruction (key, claim, amount, card last 4, bank reference)',
  },
  resultBouncedClosed: bounceCheck('card_closed'),
  resultBouncedFrozen: bounceCheck('card_frozen'),
  resultBouncedName: bounceCheck('name_mismatch'),
  resultRetry: {
    id: 'result.retry',
    zh: '收到 5xx 后按协议重试：同一投递编号',
    en: 'after a 5xx the result is retried with the same delivery id',
  },
  resultOnce: {
    id: 'result.once',
    zh: '每个幂等键只有一个结算结果（重发不改变内容）',
    en: 'one settled result per key (a repeat never changes it)',
  },
} as const;

export interface BankCheckOptions {
  url: string;
  secrets: readonly string[];
  receiver: KitReceiver;
  resultTimeoutMs?: number;
  quietMs?: number;
  replayWindowSeconds?: number;
}

const testClaimNo = (n: number) =>
  `FP-${shanghaiDateOf(new Date()).replaceAll('-', '')}-341324-${String(990_000 + n).padStart(6, '0')}`;

const instruction = (card: string, amountFen = 12_345, n = 1) =>
  testPayoutInstruction({ idempotencyKey: `kit-${randomUUID()}`, claimNo: testClaimNo(n), amountFen, cardNumber: card });

type ResultLike = Record<string, unknown> & { idempotencyKey?: unknown };
const bodyOf = (m: RecordedMessage): ResultLike | undefined =>
  typeof m.body === 'object' && m.body !== null ? (m.body as ResultLike) : undefined;

export async function runBankChecks({
  url,
  secrets,
  receiver,
  resultTimeoutMs = 120_000,
  quietMs = 3_000,
  replayWindowSeconds = 300,
}: BankCheckOptions): Promise<CheckResult[]> {
  const C = BANK_CHECKS;
  const base = url.replace(/\/$/, '');
  const results: CheckResult[] = [];
  const post = (path: string, body: unknown, breakage: Breakage = 'none') =>
    send({ url: `${base}${path}`, body, secrets, breakage, replayWindowSeconds });
  const resultsFor = (key: string) => receiver.at('/partners/bank/payouts').filter((m) => bodyOf(m)?.idempotencyKey === key);

  const refusedKeys: string[] = [];
  const refusal = async (
    definition: (typeof C)[keyof typeof C],
    breakage: Breakage,
    body = instruction(TEST_CARDS.confirmed),
  ) => {
    refusedKeys.push(body.idempotencyKey);
    const sent = await post('/payouts', body, breakage);
    const expected = breakage === 'none' ? 400 : 401;
    results.push(
      check(definition)(
        sent.status === expected ? 'pass' : 'fail',
        sent.status === expected ? undefined : `answered ${describeStatus(sent)}`,
      ),
    );
  };
  await refusal(C.payoutUnsigned, 'unsigned');
  await refusal(C.payoutWrongKey, 'wrong_key');
  await refusal(C.payoutStale, 'stale');
  await refusal(C.payoutModified, 'modified_body');
  await refusal(C.payoutInvalid, 'none', { ...instruction(TEST_CARDS.confirmed), amountFen: 0 });
  await refusal(C.payoutInvalid, 'none', { ...instruction(TEST_CARDS.confirmed), amountFen: 100.5 });
  // the two invalid-body refusals are one check: keep the worse
  const invalid = results.filter((r) => r.id === C.payoutInvalid.id);
  results.splice(results.indexOf(invalid[0]!), invalid.length, invalid.find((r) => r.status === 'fail') ?? invalid[0]!);

  // the valid instruction, its repeat, a conflicting reuse of its key
  const valid = instruction(TEST_CARDS.confirmed);
  const first = await post('/payouts', valid);
  const receipt = PayoutReceiptSchema.safeParse(first.body);
  const receiptOk =
    first.status === 201 &&
    receipt.success &&
    receipt.data.idempotencyKey === valid.idempotencyKey &&
    receipt.data.amountFen === valid.amountFen &&
    receipt.data.bankRef.length > 0;
  results.push(
    check(C.payoutValid)(
      receiptOk ? 'pass' : 'fail',
      receiptOk ? undefined : `answered ${describeStatus(first)} ${JSON.stringify(first.body)}`,
    ),
  );
  const bankRef = receipt.success ? receipt.data.bankRef : undefined;

  const again = await post('/payouts', valid);
  const againReceipt = PayoutReceiptSchema.safeParse(again.body);
  const repeatFailures: string[] = [];
  if (again.status !== 200) repeatFailures.push(`the repeat was answered ${describeStatus(again)}`);
  if (!againReceipt.success || againReceipt.data.bankRef !== bankRef)
    repeatFailures.push('the repeat got another receipt (a second payment?)');

  const conflict = await post('/payouts', { ...valid, amountFen: valid.amountFen + 100 });
  results.push(
    check(C.payoutConflict)(
      conflict.status === 409 ? 'pass' : 'fail',
      conflict.status === 409 ? undefined : `answered ${describeStatus(conflict)}`,
    ),
  );

  const racing = instruction(TEST_CARDS.confirmed, 5_000, 2);
  const raced = await Promise.all(Array.from({ length: 5 }, () => post('/payouts', racing)));
  const created = raced.filter((r) => r.status === 201).length;
  const refs = new Set(raced.map((r) => PayoutReceiptSchema.safeParse(r.body).data?.bankRef));
  results.push(
    verdict(C.payoutConcurrent, [
      ...(created !== 1 ? [`${created} of 5 concurrent sends were answered 201`] : []),
      ...(refs.size !== 1 ? [`${refs.size} different receipts`] : []),
    ]),
  );

  const status = await post('/payouts/status', { idempotencyKey: valid.idempotencyKey });
  const statusReceipt = PayoutReceiptSchema.safeParse(status.body);
  results.push(
    check(C.statusKnown)(
      status.status === 200 && statusReceipt.success && statusReceipt.data.bankRef === bankRef ? 'pass' : 'fail',
      status.status === 200 && statusReceipt.success && statusReceipt.data.bankRef === bankRef
        ? undefined
        : `answered ${describeStatus(status)} ${JSON.stringify(status.body)}`,
    ),
  );
  const unknown = await post('/payouts/status', { idempotencyKey: `kit-unknown-${randomUUID()}` });
  results.push(
    check(C.statusUnknown)(
      unknown.status === 404 ? 'pass' : 'fail',
      unknown.status === 404 ? undefined : `answered ${describeStatus(unknown)}`,
    ),
  );

  // one instruction to each test card that must bounce
  const bounces = BOUNCE_REASONS.map((reason, i) => ({ reason, sent: instruction(TEST_CARDS[reason], 2_000 + i, 10 + i) }));
  for (const b of bounces) await post('/payouts', b.sent);

  // the results: wait for each key, then listen a moment for repeats
  const keys = [valid.idempotencyKey, racing.idempotencyKey, ...bounces.map((b) => b.sent.idempotencyKey)];
  await pollUntil(
    'a result for every instruction',
    () => Promise.resolve(keys.every((k) => resultsFor(k).some((m) => m.signature === 'ok' && m.answered === 200)) || undefined),
    { timeoutMs: resultTimeoutMs, intervalMs: 100 },
  ).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, quietMs));

  const validResults = resultsFor(valid.idempotencyKey);
  if (validResults.length === 0)
    results.push(check(C.resultConfirmed)('fail', `no result within ${Math.round(resultTimeoutMs / 1000)} s`));
  else {
    const failures: string[] = [];
    for (const m of validResults) {
      if (m.signature !== 'ok') failures.push(`delivery ${m.deliveryId ?? '(none)'}: ${m.signature}`);
      const parsed = PayoutResultSchema.safeParse(m.body);
      if (!parsed.success) {
        failures.push(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(', '));
        continue;
      }
      const r = parsed.data;
      if (r.status !== 'confirmed') failures.push(`status ${r.status}`);
      if (r.claimNo !== valid.claimNo) failures.push(`claimNo ${r.claimNo}, expected ${valid.claimNo}`);
      if (r.amountFen !== valid.amountFen) failures.push(`amountFen ${r.amountFen}, instructed ${valid.amountFen}`);
      if (r.cardLast4 !== valid.account.cardNumber.slice(-4))
        failures.push(`cardLast4 ${String(r.cardLast4)}, expected ${valid.account.cardNumber.slice(-4)}`);
      if (r.bankRef !== bankRef) failures.push(`bankRef ${r.bankRef}, the receipt said ${String(bankRef)}`);
    }
    results.push(verdict(C.resultConfirmed, failures));
  }
  if (validResults.length > 0 || resultsFor(racing.idempotencyKey).length > 0) {
    const distinct = new Set(resultsFor(valid.idempotencyKey).map((m) => m.rawBody));
    if (distinct.size > 1) repeatFailures.push(`${distinct.size} different results for the key`);
  }
  results.push(verdict(C.payoutRepeat, repeatFailures));

  for (const [definition, reason] of [
    [C.resultBouncedClosed, 'card_closed'],
    [C.resultBouncedFrozen, 'card_frozen'],
    [C.resultBouncedName, 'name_mismatch'],
  ] as const) {
    const b = bounces.find((x) => x.reason === reason)!;
    const got = resultsFor(b.sent.idempotencyKey).map((m) => PayoutResultSchema.safeParse(m.body).data);
    results.push(
      got.length === 0
        ? check(definition)('fail', 'no result')
        : verdict(
            definition,
            got.flatMap((r) =>
              r?.status === 'bounced' && r.reason === reason && r.amountFen === b.sent.amountFen
                ? []
                : [`result ${JSON.stringify(r ?? 'invalid')}`],
            ),
          ),
    );
  }

  const allResults = keys.flatMap(resultsFor);
  const retryFailures: string[] = [];
  const byDelivery = new Map<string, RecordedMessage[]>();
  for (const m of allResults) if (m.deliveryId) byDelivery.set(m.deliveryId, [...(byDelivery.get(m.deliveryId) ?? []), m]);
  for (const [deliveryId, attempts] of byDelivery)
    if (attempts.length < 2) retryFailures.push(`delivery ${deliveryId} was not retried after 503`);
  results.push(
    allResults.length === 0 ? check(C.resultRetry)('not_exercised', 'no result arrived') : verdict(C.resultRetry, retryFailures),
  );

  const onceFailures: string[] = [];
  for (const key of keys) {
    const contents = new Set(resultsFor(key).map((m) => JSON.stringify({ ...bodyOf(m) })));
    if (contents.size > 1) onceFailures.push(`key ${key}: ${contents.size} different results`);
  }
  results.push(
    allResults.length === 0 ? check(C.resultOnce)('not_exercised', 'no result arrived') : verdict(C.resultOnce, onceFailures),
  );

  const settled = PayoutResultSchema.safeParse(validResults.at(-1)?.body);
  if (!settled.success) results.push(check(C.statusSettled)('not_exercised', 'no valid result to compare'));
  else {
    const after = PayoutReceiptSchema.safeParse((await post('/payouts/status', { idempotencyKey: valid.idempotencyKey })).body);
    results.push(
      check(C.statusSettled)(
        after.success && after.data.status === settled.data.status ? 'pass' : 'fail',
        after.success && after.data.status === settled.data.status
          ? undefined
          : `status ${JSON.stringify(after.data ?? 'invalid')}, result ${settled.data.status}`,
      ),
    );
  }

  const forRefused = receiver.at('/partners/bank/payouts').filter((m) => refusedKeys.includes(String(bodyOf(m)?.idempotencyKey)));
  const bookedRefused: string[] = [];
  for (const key of refusedKeys) {
    const s = await post('/payouts/status', { idempotencyKey: key });
    if (s.status !== 404) bookedRefused.push(`refused key ${key} has a status (${describeStatus(s)})`);
  }
  results.push(
    verdict(C.payoutRefusedNoEffect, [
      ...forRefused.map((m) => `a result arrived for refused key ${String(bodyOf(m)?.idempotencyKey)}`),
      ...bookedRefused,
    ]),
  );
  return results;
}
