/**
 * The insurer's side of the protocol, checked from fangpin's: the kit sends claim packages to the insurer's
 * `POST {insurer}/claims` (valid ones and ones it must refuse), then judges the decisions the insurer posts back to
 * the kit's receiver (standing in for fangpin's `/partners/insurers/{id}/decisions`).
 */
import { randomInt } from 'node:crypto';
import { pollUntil } from '../../common/poll';
import { InsurerDecisionSchema } from '../../common/partners/messages';
import { DOCUMENTS_TEST_PRODUCT, TEST_PRODUCT, testClaimPackage } from '../../common/partners/sandbox-conventions';
import { DOCUMENT_KINDS } from '../../domain/codes';
import { shanghaiDateOf } from '../../domain/dates';
import { check, verdict, type CheckResult } from './report';
import type { KitReceiver, RecordedMessage } from './receiver';
import { describeStatus, replay, send, type Breakage, type Sent } from './send';

export const INSURER_CHECKS = {
  packageValid: {
    id: 'package.valid',
    zh: '有效签名的理赔包被接受（2xx）',
    en: 'a validly signed claim package is accepted (2xx)',
  },
  packageUnsigned: { id: 'package.unsigned', zh: '无签名的理赔包被拒绝（401）', en: 'an unsigned package is refused (401)' },
  packageWrongKey: {
    id: 'package.wrong_key',
    zh: '错误密钥签名的理赔包被拒绝（401）',
    en: 'a package signed with a wrong key is refused (401)',
  },
  packageStale: {
    id: 'package.stale',
    zh: '时间戳超出重放窗口的理赔包被拒绝（401）',
    en: 'a package whose timestamp is outside the replay window is refused (401)',
  },
  packageModified: {
    id: 'package.modified_body',
    zh: '签名后被篡改的理赔包被拒绝（401）',
    en: 'a package changed after signing is refused (401)',
  },
  packageInvalid: {
    id: 'package.invalid_body',
    zh: '签名正确但内容不合协议的理赔包被拒绝（400）',
    en: 'a signed package whose body breaks the schema is refused (400)',
  },
  packageReplayed: {
    id: 'package.replayed',
    zh: '重放同一投递编号的理赔包：答复相同，且不再次作出决定',
    en: 'a replayed delivery id gets the same answer and no second decision',
  },
  packageRefusedNoDecision: {
    id: 'package.refused_no_effect',
    zh: '被拒绝的理赔包不产生任何决定',
    en: 'refused packages lead to no decision',
  },
  decisionArrives: {
    id: 'decision.arrives',
    zh: '保险公司对有效理赔包作出决定并回传',
    en: 'the insurer posts a decision for the valid package',
  },
  decisionSignature: {
    id: 'decision.signature',
    zh: '回传的决定签名有效、时间戳在窗口内、带投递编号',
    en: 'decisions are signed with the shared key, timestamped within the window, with a delivery id',
  },
  decisionSchema: {
    id: 'decision.schema',
    zh: '决定报文符合协议（字段、结果与必填项、保险公司与案件编号一致）',
    en: 'decisions match the schema (fields, outcome and its required fields, the insurer and claim number)',
  },
  decisionAmount: {
    id: 'decision.amount',
    zh: '核定金额为整数分、非负、不超过案件金额；部分赔付低于案件金额',
    en: "approved amounts are whole fen, not negative, not above the claim's; a partial one is below it",
  },
  decisionRound: {
    id: 'decision.round',
    zh: '决定注明所答复的轮次（重新提交后答复新轮次，不答复未发送的轮次）',
    en: 'decisions name the round they answer (the new round after a re-submission, never one not sent)',
  },
  decisionRetry: {
    id: 'decision.retry',
    zh: '收到 5xx 后按协议重试：同一投递编号、重新签名',
    en: 'after a 5xx the decision is retried with the same delivery id, re-signed',
  },
  decisionIdempotent: {
    id: 'decision.idempotent',
    zh: '同一决定重发时决定编号和内容不变；同一轮次不作两个不同决定',
    en: 'a decision sent again keeps its decisionId and content; one round gets one decision (a prepayment excepted)',
  },
  decisionDocuments: {
    id: 'decision.documents',
    zh: '要求补充材料时列明材料种类',
    en: 'a documents request names the document kinds',
  },
} as const;

export interface InsurerCheckOptions {
  /** The insurer's base URL (packages go to {url}/claims). */
  url: string;
  insurerId: string;
  secrets: readonly string[];
  receiver: KitReceiver;
  /** How long to wait for each decision. */
  decisionTimeoutMs?: number;
  /** After the last decision, how long to keep listening for repeats the insurer should not send. */
  quietMs?: number;
  replayWindowSeconds?: number;
}

export const testPackage = (
  insurerId: string,
  claimNo: string,
  round = 1,
  proposedPayoutFen = 750_000,
  productId = TEST_PRODUCT,
) => testClaimPackage({ insurerId, claimNo, round, proposedPayoutFen, productId });

const testClaimNo = () =>
  `FP-${shanghaiDateOf(new Date()).replaceAll('-', '')}-341324-${String(900_000 + randomInt(99_999)).padStart(6, '0')}`;

const is2xx = (s: Sent) => typeof s.status === 'number' && s.status >= 200 && s.status < 300;

/** Runs every insurer check once; never throws for what the insurer does (that is a failed check). */
export async function runInsurerChecks({
  url,
  insurerId,
  secrets,
  receiver,
  decisionTimeoutMs = 120_000,
  quietMs = 3_000,
  replayWindowSeconds = 300,
}: InsurerCheckOptions): Promise<CheckResult[]> {
  const C = INSURER_CHECKS;
  const claimsUrl = `${url.replace(/\/$/, '')}/claims`;
  const decisionsPath = `/partners/insurers/${insurerId}/decisions`;
  const results: CheckResult[] = [];
  const post = (body: unknown, breakage: Breakage = 'none') =>
    send({ url: claimsUrl, body, secrets, breakage, replayWindowSeconds });

  // the packages it must refuse first (each its own claim number, so a decision for one of them shows)
  const refusedClaims: string[] = [];
  const refusal = async (definition: (typeof C)[keyof typeof C], breakage: Breakage) => {
    const claimNo = testClaimNo();
    refusedClaims.push(claimNo);
    const sent = await post(testPackage(insurerId, claimNo), breakage);
    results.push(
      check(definition)(
        sent.status === 401 ? 'pass' : 'fail',
        sent.status === 401 ? undefined : `answered ${describeStatus(sent)}`,
      ),
    );
  };
  await refusal(C.packageUnsigned, 'unsigned');
  await refusal(C.packageWrongKey, 'wrong_key');
  await refusal(C.packageStale, 'stale');
  await refusal(C.packageModified, 'modified_body');
  const invalidClaim = testClaimNo();
  refusedClaims.push(invalidClaim);
  const { proposedPayoutFen: _omitted, ...invalid } = testPackage(insurerId, invalidClaim);
  const invalidSent = await post({ ...invalid, round: 0 });
  results.push(
    check(C.packageInvalid)(
      invalidSent.status === 400 ? 'pass' : 'fail',
      invalidSent.status === 400 ? undefined : `answered ${describeStatus(invalidSent)}`,
    ),
  );

  // the valid package, and the same delivery replayed byte for byte
  const claimNo = testClaimNo();
  const round1 = testPackage(insurerId, claimNo, 1);
  const valid = await post(round1);
  results.push(
    check(C.packageValid)(is2xx(valid) ? 'pass' : 'fail', is2xx(valid) ? undefined : `answered ${describeStatus(valid)}`),
  );
  const replayed = is2xx(valid) ? await replay(valid.request, valid.deliveryId) : undefined;

  const decisionsFor = (no: string, round?: number) =>
    receiver.at(decisionsPath).filter((m) => bodyOf(m)?.claimNo === no && (round === undefined || bodyOf(m)?.round === round));
  // any delivery counts as arrived (a badly signed one too: the signature check judges it, the wait need not)
  const waitForDecision = (no: string, round: number) =>
    pollUntil(`a decision for ${no} round ${round}`, () => Promise.resolve(decisionsFor(no, round).length > 0 || undefined), {
      timeoutMs: decisionTimeoutMs,
      intervalMs: 100,
    }).catch(() => undefined);

  // the documents test claim (sandbox convention: it must be answered with a documents request)
  const documentsClaim = testClaimNo();
  const documentsSent = await post(testPackage(insurerId, documentsClaim, 1, 300_000, DOCUMENTS_TEST_PRODUCT));

  let round2Sent = false;
  if (is2xx(valid)) {
    await waitForDecision(claimNo, 1);
    // a re-submission (after a documents request): the insurer must answer round 2 as round 2
    const resent = await post(testPackage(insurerId, claimNo, 2, 700_000));
    round2Sent = is2xx(resent);
    if (round2Sent) await waitForDecision(claimNo, 2);
  }
  if (is2xx(documentsSent)) await waitForDecision(documentsClaim, 1);
  // keep listening a moment: repeats, late duplicates and decisions for refused packages show up here
  await new Promise((resolve) => setTimeout(resolve, quietMs));

  const all = [...decisionsFor(claimNo), ...decisionsFor(documentsClaim)];
  const proposedOf = (b: DecisionLike | undefined) =>
    b?.claimNo === documentsClaim
      ? b.round === 1
        ? 300_000
        : undefined
      : b?.round === 1
        ? round1.proposedPayoutFen
        : b?.round === 2
          ? 700_000
          : undefined;

  // replay: the same answer, and no extra decision for round 1
  if (!replayed) results.push(check(C.packageReplayed)('not_exercised', 'the valid package was not accepted'));
  else {
    const failures: string[] = [];
    if (replayed.status !== valid.status)
      failures.push(`the replay was answered ${describeStatus(replayed)}, the original HTTP ${String(valid.status)}`);
    const round1Ids = distinctDecisionIds(decisionsFor(claimNo, 1));
    if (round1Ids.length > 1 && !isPrepaymentPair(decisionsFor(claimNo, 1)))
      failures.push(`round 1 got ${round1Ids.length} different decisions (${round1Ids.join(', ')})`);
    results.push(verdict(C.packageReplayed, failures));
  }
  const forRefused = receiver.at(decisionsPath).filter((m) => refusedClaims.includes(String(bodyOf(m)?.claimNo)));
  results.push(
    verdict(
      C.packageRefusedNoDecision,
      forRefused.map((m) => `a decision arrived for refused claim ${String(bodyOf(m)?.claimNo)}`),
    ),
  );

  if (all.length === 0) {
    results.push(check(C.decisionArrives)('fail', `no decision within ${Math.round(decisionTimeoutMs / 1000)} s`));
    for (const d of [
      C.decisionSignature,
      C.decisionSchema,
      C.decisionAmount,
      C.decisionRound,
      C.decisionRetry,
      C.decisionIdempotent,
      C.decisionDocuments,
    ])
      results.push(check(d)('not_exercised', 'no decision arrived'));
    return results;
  }
  results.push(
    check(C.decisionArrives)(
      round2Sent && decisionsFor(claimNo, 2).length === 0 ? 'fail' : 'pass',
      round2Sent && decisionsFor(claimNo, 2).length === 0 ? 'no decision for round 2' : undefined,
    ),
  );
  results.push(
    verdict(
      C.decisionSignature,
      all.filter((m) => m.signature !== 'ok').map((m) => `delivery ${m.deliveryId ?? '(none)'}: ${m.signature}`),
    ),
  );

  const parsed = all.map((m) => ({ m, decision: InsurerDecisionSchema.safeParse(m.body) }));
  results.push(
    verdict(
      C.decisionSchema,
      parsed.flatMap(({ m, decision }) =>
        !decision.success
          ? [
              `delivery ${m.deliveryId ?? '(none)'}: ${decision.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(', ')}`,
            ]
          : decision.data.insurerId !== insurerId
            ? [`insurerId ${decision.data.insurerId}, expected ${insurerId}`]
            : [],
      ),
    ),
  );

  const amountFailures: string[] = [];
  const withAmounts = all.filter((m) => bodyOf(m)?.approvedFen !== undefined);
  for (const m of withAmounts) {
    const body = bodyOf(m)!;
    const fen = body.approvedFen;
    const cap = proposedOf(body);
    if (typeof fen !== 'number' || !Number.isInteger(fen))
      amountFailures.push(`approvedFen ${JSON.stringify(fen)} is not whole fen`);
    else if (fen < 0) amountFailures.push(`approvedFen ${fen} is negative`);
    else if (cap !== undefined && fen > cap) amountFailures.push(`approvedFen ${fen} is above the claim's ${cap}`);
    else if (cap !== undefined && body.outcome === 'approved_partial' && fen >= cap)
      amountFailures.push(`a partial approval of ${fen} is not below ${cap}`);
  }
  results.push(
    withAmounts.length === 0
      ? check(C.decisionAmount)('not_exercised', 'no decision approved an amount: approve one test claim to exercise it')
      : verdict(C.decisionAmount, amountFailures),
  );

  const roundFailures = all
    .filter(
      (m) => proposedOf(bodyOf(m)) === undefined || (bodyOf(m)?.claimNo === claimNo && bodyOf(m)?.round === 2 && !round2Sent),
    )
    .map((m) => `a decision for round ${JSON.stringify(bodyOf(m)?.round)}, which was never sent`);
  if (round2Sent && decisionsFor(claimNo, 2).length === 0) roundFailures.push('the round-2 package got no round-2 decision');
  results.push(verdict(C.decisionRound, roundFailures));

  // every first delivery was answered 503: each must come again under the same delivery id
  const byDelivery = groupBy(
    all.filter((m) => m.deliveryId),
    (m) => m.deliveryId!,
  );
  const retryFailures: string[] = [];
  for (const [deliveryId, attempts] of byDelivery) {
    if (attempts.length < 2) retryFailures.push(`delivery ${deliveryId} was not retried after 503`);
  }
  results.push(verdict(C.decisionRetry, retryFailures));

  const idFailures: string[] = [];
  for (const [deliveryId, attempts] of byDelivery) {
    const ids = new Set(attempts.map((m) => String(bodyOf(m)?.decisionId)));
    if (ids.size > 1) idFailures.push(`delivery ${deliveryId} carried ${ids.size} different decisionIds`);
  }
  for (const [decisionId, copies] of groupBy(all, (m) => String(bodyOf(m)?.decisionId))) {
    const contents = new Set(copies.map((m) => JSON.stringify(bodyOf(m))));
    if (contents.size > 1) idFailures.push(`decisionId ${decisionId} was sent with ${contents.size} different contents`);
  }
  for (const [no, round] of [
    [claimNo, 1],
    [claimNo, 2],
    [documentsClaim, 1],
  ] as const) {
    const copies = decisionsFor(no, round);
    const ids = distinctDecisionIds(copies);
    if (ids.length > 1 && !isPrepaymentPair(copies)) idFailures.push(`round ${round} got ${ids.length} different decisions`);
  }
  results.push(verdict(C.decisionIdempotent, idFailures));

  const forDocuments = decisionsFor(documentsClaim);
  results.push(
    !is2xx(documentsSent)
      ? check(C.decisionDocuments)('fail', `the documents test package was answered ${describeStatus(documentsSent)}`)
      : forDocuments.length === 0
        ? check(C.decisionDocuments)('fail', `no decision for the documents test claim (product ${DOCUMENTS_TEST_PRODUCT})`)
        : verdict(
            C.decisionDocuments,
            forDocuments.flatMap((m) => {
              const body = bodyOf(m);
              const kinds = body?.requestedDocuments;
              if (body?.outcome !== 'documents_requested')
                return [
                  `the documents test claim was decided ${JSON.stringify(body?.outcome)} (product ${DOCUMENTS_TEST_PRODUCT} asks for documents_requested)`,
                ];
              return Array.isArray(kinds) &&
                kinds.length > 0 &&
                kinds.every((k) => (DOCUMENT_KINDS as readonly unknown[]).includes(k))
                ? []
                : [`requestedDocuments ${JSON.stringify(kinds)}`];
            }),
          ),
  );
  return results;
}

type DecisionLike = Record<string, unknown> & { claimNo?: unknown; round?: unknown; approvedFen?: unknown; outcome?: unknown };
const bodyOf = (m: RecordedMessage): DecisionLike | undefined =>
  typeof m.body === 'object' && m.body !== null ? (m.body as DecisionLike) : undefined;
const distinctDecisionIds = (messages: RecordedMessage[]) => [...new Set(messages.map((m) => String(bodyOf(m)?.decisionId)))];
/** A prepayment of the certain part (approved_partial, final: false) followed by the final decision of the round. */
const isPrepaymentPair = (messages: RecordedMessage[]) => {
  const ids = distinctDecisionIds(messages);
  if (ids.length !== 2) return false;
  const first = messages.find((m) => String(bodyOf(m)?.decisionId) === ids[0]);
  return bodyOf(first!)?.outcome === 'approved_partial' && bodyOf(first!)?.final === false;
};

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
