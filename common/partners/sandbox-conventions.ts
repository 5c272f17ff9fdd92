/**
 * What a partner's test system agrees to do with test messages, so an integration can try every outcome on purpose
 * (docs/partner-protocol.md, "Sandbox conventions"). The conformance kit relies on them; the simulators honour them.
 */
import { createHash } from 'node:crypto';
import { shanghaiDateOf } from '../../domain/dates';
import type { BounceReason, ClaimPackage, PayoutInstruction } from './messages';

/** Test cards: a bank's test system confirms every other card and bounces these with their reason. */
export const TEST_CARDS = {
  confirmed: '6217000000000000000',
  card_closed: '6217000000000000011',
  card_frozen: '6217000000000000022',
  name_mismatch: '6217000000000000033',
} as const satisfies Record<BounceReason | 'confirmed', string>;

export const TEST_CARD_BOUNCES: Readonly<Record<string, BounceReason>> = {
  [TEST_CARDS.card_closed]: 'card_closed',
  [TEST_CARDS.card_frozen]: 'card_frozen',
  [TEST_CARDS.name_mismatch]: 'name_mismatch',
};

/** The product id of test packages; an insurer's test system decides them as it likes, except the one below. */
export const TEST_PRODUCT = 'conformance-test';
/** The first round of a test package of this product must be answered with documents_requested, naming the kinds
 * wanted; later rounds are decided as usual. */
export const DOCUMENTS_TEST_PRODUCT = 'conformance-test-documents';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A test claim package: a synthetic household and person, marked by its product (and, from fangpin, its number). */
export function testClaimPackage({
  insurerId,
  claimNo,
  round = 1,
  proposedPayoutFen = 750_000,
  productId = TEST_PRODUCT,
}: {
  insurerId: string;
  claimNo: string;
  round?: number;
  proposedPayoutFen?: number;
  productId?: string;
}): ClaimPackage {
  const today = shanghaiDateOf(new Date());
  return {
    type: 'claim_package',
    claimNo,
    insurerId,
    line: 'property',
    policyYear: Number(today.slice(0, 4)),
    productId,
    household: { householdId: 'TEST-HH-0001', divisionCode: '341324105003', categoryOnEventDate: 'monitored_sudden_hardship' },
    insured: { memberId: 'm1', name: '测试户主', residentId: '341324199001010011' },
    eventDate: today,
    reportDate: today,
    loss: { line: 'property', cause: 'fire', assessedLossFen: 800_000, description: '测试案件，不付款 (test claim, never paid)' },
    documents: [{ name: '现场照片.jpg', kind: 'photo', sha256: sha(`${claimNo}:photo:${round}`) }],
    proposedPayoutFen,
    explanation: [{ code: 'TEST', zh: '测试案件', en: 'test claim', amountFen: proposedPayoutFen }],
    round,
    sentAt: new Date().toISOString(),
  };
}

/** A test payout instruction to a test card. */
export function testPayoutInstruction({
  idempotencyKey,
  claimNo,
  amountFen,
  cardNumber = TEST_CARDS.confirmed,
}: {
  idempotencyKey: string;
  claimNo: string;
  amountFen: number;
  cardNumber?: string;
}): PayoutInstruction {
  return {
    type: 'payout_instruction',
    idempotencyKey,
    claimNo,
    installment: 1,
    amountFen,
    account: { cardNumber, holderName: '测试户主', holderResidentId: '341324199001010011' },
    memo: '防贫保测试 test payout, never real money',
  };
}
