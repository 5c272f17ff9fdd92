/**
 * The bank / social-security card payout simulator. Accepts signed payout instructions keyed by an idempotency key
 * (a repeated key never pays twice and answers with the first receipt; the same key with a different instruction is
 * 409), confirms or bounces each payment after a delay, posts a signed result to fangpin, and keeps its own ledger
 * for reconciliation.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Express } from 'express';
import { z } from 'zod';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import { TEST_CARD_BOUNCES } from '../../common/partners/sandbox-conventions';
import type { Logger } from '../../common/logger';
import {
  BOUNCE_REASONS,
  PayoutInstructionSchema,
  type BounceReason,
  type PayoutInstruction,
  type PayoutReceipt,
  type PayoutResult,
} from '../../common/partners/messages';
import { seededRandom, weightedPick } from '../../domain/random';
import {
  CALLBACK_BREAKS,
  callbackBreaksOf,
  createSimApp,
  deliverCallback,
  delay,
  finishSimApp,
  SIGNATURE_BREAKS,
  simSignatureCheck,
  type CallbackAttempt,
} from '../common';
import { openJournal } from './ledger-journal';

/** Protocol violations for the conformance kit's tests (sim/common.ts); each breaks one thing the kit checks. */
export const BANK_BREAKS = [
  ...SIGNATURE_BREAKS,
  ...CALLBACK_BREAKS,
  'pay_repeats',
  'no_conflict_check',
  'accept_invalid_body',
  'result_amount_off',
  'result_wrong_card',
  'status_always_404',
  'ignore_test_cards',
] as const;
export type BankBreak = (typeof BANK_BREAKS)[number];

export const BankSimConfigSchema = z.strictObject({
  secrets: z.array(z.string().min(16)).min(1).max(2),
  /** Results go to {callbackBaseUrl}/partners/bank/payouts. */
  callbackBaseUrl: z.url(),
  settleDelayMs: z.number().int().min(0).default(500),
  bounceRate: z.number().min(0).max(1).default(0),
  bounceReasons: z
    .partialRecord(z.enum(BOUNCE_REASONS), z.number().min(0))
    .default({ card_closed: 1, card_frozen: 1, name_mismatch: 1 }),
  /** Cards that always bounce, with the reason (for deterministic tests). */
  forcedBounces: z.record(z.string(), z.enum(BOUNCE_REASONS)).default({}),
  failRate5xx: z.number().min(0).max(1).default(0),
  duplicateCallbacks: z.boolean().default(false),
  /** Delay between recording an instruction and answering it (a sender can die with the payment already booked). */
  responseDelayMs: z.number().int().min(0).default(0),
  seed: z.number().int().default(1),
  replayWindowSeconds: z.number().int().positive().default(300),
  /** The journal file of a durable ledger (kept across restarts); without it the ledger lives in memory only. */
  ledgerFile: z.string().min(1).optional(),
  breaks: z.array(z.enum(BANK_BREAKS)).default([]),
});
export type BankSimConfig = z.input<typeof BankSimConfigSchema>;

export interface LedgerEntry {
  idempotencyKey: string;
  bankRef: string;
  claimNo: string;
  installment: number;
  amountFen: number;
  cardNumber: string;
  holderName: string;
  status: 'accepted' | 'confirmed' | 'bounced';
  reason?: BounceReason;
  receivedAt: string;
  settledAt?: string;
  /** How many instructions carried this key (1 + repeats). */
  instructions: number;
  callbackAttempts: CallbackAttempt[];
  /** Identity of the first instruction, to refuse a reused key with different content. */
  fingerprint: string;
}

const fingerprintOf = (i: PayoutInstruction) =>
  JSON.stringify([i.claimNo, i.installment, i.amountFen, i.account.cardNumber, i.account.holderName, i.account.holderResidentId]);

export function buildBankSim(
  input: BankSimConfig,
  logger: Logger,
): { app: Express; stop: () => void; ledger: Map<string, LedgerEntry> } {
  let config = BankSimConfigSchema.parse(input);
  const random = seededRandom(config.seed);
  const ledger = new Map<string, LedgerEntry>();
  const journal = config.ledgerFile ? openJournal<LedgerEntry>(config.ledgerFile) : undefined;
  for (const entry of journal?.load() ?? []) ledger.set(entry.idempotencyKey, entry);
  let stopped = false;
  const app = createSimApp(logger);
  const partner = Router();
  const signed = simSignatureCheck(() => config);
  const broken = (b: BankBreak) => config.breaks.includes(b);

  partner.post('/payouts', signed, async (req, res) => {
    if (random() < config.failRate5xx)
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        { zh: '模拟的银行故障。', en: 'Simulated bank outage.' },
        { retryAfterSeconds: 1 },
      );
    const instruction = broken('accept_invalid_body')
      ? (req.body as PayoutInstruction)
      : parseInput(PayoutInstructionSchema, req.body, 'payout instruction');
    // Check and insert with no await in between: Node runs this atomically, so concurrent repeats cannot both pay.
    const existing = broken('pay_repeats') ? undefined : ledger.get(instruction.idempotencyKey);
    if (existing) {
      if (existing.fingerprint !== fingerprintOf(instruction) && !broken('no_conflict_check')) {
        throw new AppError(
          'CONFLICT',
          { zh: '此幂等键已用于另一条不同的支付指令。', en: 'This idempotency key was used for a different instruction.' },
          { idempotencyKey: instruction.idempotencyKey },
        );
      }
      existing.instructions += 1;
      return void res.status(200).json(receiptOf(existing, 'accepted'));
    }
    const entry: LedgerEntry = {
      idempotencyKey: instruction.idempotencyKey,
      bankRef: `BK${Date.now().toString(36).toUpperCase()}${randomUUID().slice(0, 6).toUpperCase()}`,
      claimNo: instruction.claimNo,
      installment: instruction.installment,
      amountFen: instruction.amountFen,
      cardNumber: instruction.account.cardNumber,
      holderName: instruction.account.holderName,
      status: 'accepted',
      receivedAt: new Date().toISOString(),
      instructions: 1,
      callbackAttempts: [],
      fingerprint: fingerprintOf(instruction),
    };
    ledger.set(entry.idempotencyKey, entry);
    journal?.record(entry); // booked: on disk before the bank answers
    void settleLater(entry);
    if (config.responseDelayMs > 0) await delay(config.responseDelayMs);
    res.status(201).json(receiptOf(entry, 'accepted'));
  });

  /** Status of one instruction, for a sender whose callback never arrived. */
  partner.post('/payouts/status', signed, (req, res) => {
    const { idempotencyKey } = parseInput(z.strictObject({ idempotencyKey: z.string() }), req.body);
    const entry = broken('status_always_404') ? undefined : ledger.get(idempotencyKey);
    if (!entry)
      throw new AppError('NOT_FOUND', { zh: '没有使用此幂等键的支付指令。', en: 'No instruction with this idempotency key.' });
    res.json(receiptOf(entry, entry.status));
  });

  /** The ledger, for reconciliation. */
  partner.post('/ledger', signed, (_req, res) => {
    res.json({ entries: [...ledger.values()].map(publicEntry), totals: totalsOf(ledger) });
  });

  const admin = Router();
  admin.get('/ledger', (_req, res) => res.json({ entries: [...ledger.values()].map(publicEntry), totals: totalsOf(ledger) }));
  admin.post('/config', (req, res) => {
    config = parseInput(BankSimConfigSchema, { ...config, ...(req.body as object) }, 'simulator configuration');
    res.json({
      bounceRate: config.bounceRate,
      forcedBounces: Object.keys(config.forcedBounces).length,
      failRate5xx: config.failRate5xx,
    });
  });

  app.use(partner);
  app.use('/_sim', admin);
  finishSimApp(app);

  async function settleLater(entry: LedgerEntry): Promise<void> {
    await delay(config.settleDelayMs);
    if (stopped) return;
    const forced =
      config.forcedBounces[entry.cardNumber] ?? (broken('ignore_test_cards') ? undefined : TEST_CARD_BOUNCES[entry.cardNumber]);
    const bounce =
      forced ??
      (random() < config.bounceRate ? weightedPick(config.bounceReasons as Record<BounceReason, number>, random) : undefined);
    entry.status = bounce ? 'bounced' : 'confirmed';
    if (bounce) entry.reason = bounce;
    entry.settledAt = new Date().toISOString();
    journal?.record(entry);
    const result: PayoutResult = {
      type: 'payout_result',
      idempotencyKey: entry.idempotencyKey,
      claimNo: entry.claimNo,
      bankRef: entry.bankRef,
      status: entry.status,
      amountFen: entry.amountFen + (broken('result_amount_off') ? 1 : 0),
      cardLast4: broken('result_wrong_card') ? (entry.cardNumber.endsWith('9999') ? '0000' : '9999') : entry.cardNumber.slice(-4),
      ...(bounce ? { reason: bounce } : {}),
      settledAt: entry.settledAt,
    };
    const url = `${config.callbackBaseUrl}/partners/bank/payouts`;
    const deliveryId = randomUUID();
    const send = () =>
      deliverCallback({
        url,
        body: result,
        secrets: config.secrets,
        deliveryId,
        onAttempt: (a) => entry.callbackAttempts.push(a),
        isStopped: () => stopped,
        breaks: callbackBreaksOf(config.breaks),
      });
    await send();
    if (config.duplicateCallbacks) await send();
    logger.info({ claimNo: entry.claimNo, status: entry.status }, 'payout settled');
  }

  // instructions booked before a restart and not settled yet are settled now, as a bank's batch would
  for (const entry of ledger.values()) if (entry.status === 'accepted') void settleLater(entry);

  return {
    app,
    ledger,
    stop: () => {
      stopped = true;
    },
  };
}

function receiptOf(entry: LedgerEntry, status: PayoutReceipt['status']): PayoutReceipt {
  return { idempotencyKey: entry.idempotencyKey, bankRef: entry.bankRef, status, amountFen: entry.amountFen };
}

/** Ledger rows leave the simulator with the card masked. */
function publicEntry({ fingerprint: _f, callbackAttempts, cardNumber, ...entry }: LedgerEntry) {
  return { ...entry, cardLast4: cardNumber.slice(-4), callbacks: callbackAttempts.length };
}

function totalsOf(ledger: Map<string, LedgerEntry>) {
  let confirmedFen = 0;
  let bouncedFen = 0;
  let pendingFen = 0;
  for (const e of ledger.values()) {
    if (e.status === 'confirmed') confirmedFen += e.amountFen;
    else if (e.status === 'bounced') bouncedFen += e.amountFen;
    else pendingFen += e.amountFen;
  }
  return { instructions: ledger.size, confirmedFen, bouncedFen, pendingFen };
}
