/**
 * What a partner's test system agrees to do with test messages, so an integration can try every outcome on purpose
 * (docs/partner-protocol.md, "Sandbox conventions"). The conformance kit relies on them; the simulators honour them.
 */
import type { BounceReason } from './messages';

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
/** A test package of this product must be answered with documents_requested, naming the kinds it wants. */
export const DOCUMENTS_TEST_PRODUCT = 'conformance-test-documents';
