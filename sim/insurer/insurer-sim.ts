/**
 * The insurer simulator: receives signed claim packages, decides after a delay by a configurable mix (or a script per
 * claim), and posts signed decisions back to fangpin. Fault switches reproduce what real integrations do: duplicate
 * and out-of-order deliveries, decisions after the SLA, 5xx and slow responses, bad signatures.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Express } from 'express';
import { z } from 'zod';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import { DOCUMENTS_TEST_PRODUCT } from '../../common/partners/sandbox-conventions';
import type { Logger } from '../../common/logger';
import { ClaimPackageSchema, DECISION_OUTCOMES, type ClaimPackage, type InsurerDecision } from '../../common/partners/messages';
import { seededRandom, weightedPick } from '../../domain/random';
import { applyRate } from '../../domain/money';
import {
  CALLBACK_BREAKS,
  callbackBreaksOf,
  createSimApp,
  deliverCallback,
  delay,
  DeliveryLog,
  finishSimApp,
  SIGNATURE_BREAKS,
  simSignatureCheck,
  type CallbackAttempt,
} from '../common';

const Outcome = z.enum(DECISION_OUTCOMES);

export const InsurerFaultsSchema = z.strictObject({
  /** Deliver every decision twice with the same delivery id, and once more under a new delivery id. */
  duplicateDeliveries: z.boolean().default(false),
  /** After a decision for round N, deliver the round N−1 decision again (a stale message arriving late). */
  outOfOrder: z.boolean().default(false),
  /** Extra delay before deciding, to push decisions past the SLA. */
  lateDecisionMs: z.number().int().min(0).default(0),
  /** Share of incoming packages answered 503 (not recorded; fangpin must retry). */
  failRate5xx: z.number().min(0).max(1).default(0),
  /** Delay before answering an incoming package. */
  slowResponseMs: z.number().int().min(0).default(0),
  /** Sign decisions with a wrong key. */
  badSignatures: z.boolean().default(false),
});

/** Protocol violations for the conformance kit's tests (sim/common.ts); each breaks one thing the kit checks. */
export const INSURER_BREAKS = [
  ...SIGNATURE_BREAKS,
  ...CALLBACK_BREAKS,
  'decide_replays',
  'accept_invalid_body',
  'new_decision_id_on_retry',
  'wrong_round',
  'amount_above_claim',
  'fractional_amount',
  'negative_amount',
  'documents_without_kinds',
] as const;
export type InsurerBreak = (typeof INSURER_BREAKS)[number];

export const InsurerSimConfigSchema = z.strictObject({
  insurerId: z.string().min(2),
  secrets: z.array(z.string().min(16)).min(1).max(2),
  /** fangpin's base URL; decisions go to {callbackBaseUrl}/partners/insurers/{insurerId}/decisions. */
  callbackBaseUrl: z.url(),
  decisionDelayMs: z.number().int().min(0).default(1_000),
  mix: z
    .partialRecord(Outcome, z.number().min(0))
    .default({ approved_full: 80, approved_partial: 10, rejected: 5, documents_requested: 5 }),
  /** A partial approval pays this share of the proposed amount. */
  partialShareBp: z.number().int().min(1).max(9_999).default(6_000),
  seed: z.number().int().default(1),
  replayWindowSeconds: z.number().int().positive().default(300),
  faults: InsurerFaultsSchema.default(InsurerFaultsSchema.parse({})),
  breaks: z.array(z.enum(INSURER_BREAKS)).default([]),
});
export type InsurerSimConfig = z.input<typeof InsurerSimConfigSchema>;

/** Scripted outcomes for one claim, used in order for each decision it gets; beats the random mix. */
const ScriptSchema = z.strictObject({
  claimNo: z.string(),
  decisions: z.array(
    z.strictObject({
      outcome: Outcome,
      approvedFen: z.number().int().min(0).optional(),
      final: z.boolean().optional(),
      reason: z.string().optional(),
      delayMs: z.number().int().min(0).optional(),
    }),
  ),
});

export interface SentDecision {
  decision: InsurerDecision;
  attempts: CallbackAttempt[];
}

export function buildInsurerSim(
  input: InsurerSimConfig,
  logger: Logger,
): { app: Express; stop: () => void; state: InsurerSimState } {
  let config = InsurerSimConfigSchema.parse(input);
  const random = seededRandom(config.seed);
  const state = new InsurerSimState();
  const deliveries = new DeliveryLog<{ status: number; body: unknown }>();
  let stopped = false;

  const app = createSimApp(logger);
  const partner = Router();

  partner.post(
    '/claims',
    simSignatureCheck(() => config),
    async (req, res) => {
      const broken = (b: InsurerBreak) => config.breaks.includes(b);
      const deliveryId = req.get('Fangpin-Delivery-Id')!;
      const repeat = broken('decide_replays') ? undefined : deliveries.get(deliveryId);
      if (repeat) return void res.status(repeat.status).json(repeat.body);
      if (config.faults.slowResponseMs > 0) await delay(config.faults.slowResponseMs);
      if (random() < config.faults.failRate5xx) {
        throw new AppError(
          'DEPENDENCY_UNAVAILABLE',
          { zh: '模拟的保险公司故障。', en: 'Simulated insurer outage.' },
          { retryAfterSeconds: 1 },
        );
      }
      const checked = ClaimPackageSchema.safeParse(req.body);
      if (!checked.success && broken('accept_invalid_body')) return void res.status(202).json({ received: true });
      const pkg = parseInput(ClaimPackageSchema, req.body, 'claim package');
      if (pkg.insurerId !== config.insurerId)
        throw new AppError('UNPROCESSABLE', {
          zh: `此接口属于保险公司 ${config.insurerId}。`,
          en: `This endpoint is insurer ${config.insurerId}.`,
        });
      const response = { received: true, claimNo: pkg.claimNo, round: pkg.round };
      deliveries.remember(deliveryId, { status: 202, body: response });
      const firstTime = state.recordPackage(pkg);
      if (firstTime || broken('decide_replays')) void decideLater(pkg);
      res.status(202).json(response);
    },
  );

  const admin = Router();
  admin.get('/packages', (_req, res) => res.json(state.packages));
  admin.get('/decisions', (_req, res) => res.json(state.decisions));
  admin.post('/config', (req, res) => {
    config = parseInput(InsurerSimConfigSchema, { ...config, ...(req.body as object) }, 'simulator configuration');
    res.json({ faults: config.faults, mix: config.mix, decisionDelayMs: config.decisionDelayMs });
  });
  admin.post('/script', (req, res) => {
    const script = parseInput(ScriptSchema, req.body, 'script');
    state.scripts.set(script.claimNo, script.decisions);
    res.status(204).end();
  });

  app.use(partner);
  app.use('/_sim', admin);
  finishSimApp(app);

  async function decideLater(pkg: ClaimPackage): Promise<void> {
    const scripted = state.nextScripted(pkg.claimNo);
    await delay((scripted?.delayMs ?? config.decisionDelayMs) + config.faults.lateDecisionMs);
    if (stopped) return;
    // the sandbox convention: the first round of the documents test product is answered with a documents request
    const outcome =
      scripted?.outcome ??
      (pkg.productId === DOCUMENTS_TEST_PRODUCT && pkg.round === 1
        ? 'documents_requested'
        : weightedPick(config.mix as Record<string, number>, random));
    const decision = breakDecision(
      makeDecision(pkg, Outcome.parse(outcome), scripted?.approvedFen, scripted?.reason, scripted?.final),
      pkg,
    );
    const sent: SentDecision = { decision, attempts: [] };
    state.decisions.push(sent);
    const url = `${config.callbackBaseUrl}/partners/insurers/${config.insurerId}/decisions`;
    const secrets = config.faults.badSignatures ? ['not-the-shared-secret-at-all'] : config.secrets;
    const callbackBreaks = callbackBreaksOf(config.breaks);
    const renumbered = config.breaks.includes('new_decision_id_on_retry');
    const send = (deliveryId?: string, body: InsurerDecision = decision) =>
      deliverCallback({
        url,
        body,
        secrets,
        deliveryId,
        onAttempt: (a) => sent.attempts.push(a),
        isStopped: () => stopped,
        breaks: callbackBreaks,
        ...(renumbered ? { bodyFor: (attempt: number) => (attempt === 1 ? body : { ...body, decisionId: randomUUID() }) } : {}),
      });
    const deliveryId = randomUUID();
    await send(deliveryId);
    if (config.faults.duplicateDeliveries) {
      await send(deliveryId);
      await send(randomUUID());
    }
    if (config.faults.outOfOrder) {
      const stale = state.decisions.find((d) => d.decision.claimNo === pkg.claimNo && d.decision.round === pkg.round - 1);
      if (stale) await send(randomUUID(), stale.decision);
    }
    logger.info({ claimNo: pkg.claimNo, round: pkg.round, outcome: decision.outcome }, 'decision delivered');
    // A prepayment of the certain part is followed by the final decision for the same round.
    if (decision.outcome === 'approved_partial' && decision.final === false) await decideLater(pkg);
  }

  /** The decision as a broken insurer would send it (unchanged without breaks). */
  function breakDecision(decision: InsurerDecision, pkg: ClaimPackage): InsurerDecision {
    const broken = (b: InsurerBreak) => config.breaks.includes(b);
    let d: InsurerDecision = decision;
    if (broken('wrong_round')) d = { ...d, round: Math.max(1, pkg.round - 1) };
    if (d.approvedFen !== undefined) {
      if (broken('amount_above_claim')) d = { ...d, approvedFen: pkg.proposedPayoutFen + 100 };
      if (broken('fractional_amount')) d = { ...d, approvedFen: pkg.proposedPayoutFen - 0.5 };
      if (broken('negative_amount')) d = { ...d, approvedFen: -100 };
    }
    if (broken('documents_without_kinds') && d.outcome === 'documents_requested') d = { ...d, requestedDocuments: [] };
    return d;
  }

  function makeDecision(
    pkg: ClaimPackage,
    outcome: z.infer<typeof Outcome>,
    scriptedFen?: number,
    scriptedReason?: string,
    final?: boolean,
  ): InsurerDecision {
    const base = {
      type: 'insurer_decision' as const,
      decisionId: randomUUID(),
      claimNo: pkg.claimNo,
      insurerId: config.insurerId,
      round: pkg.round,
      decidedAt: new Date().toISOString(),
    };
    switch (outcome) {
      case 'approved_full':
        return { ...base, outcome, approvedFen: scriptedFen ?? pkg.proposedPayoutFen };
      case 'approved_partial':
        return {
          ...base,
          outcome,
          approvedFen: scriptedFen ?? applyRate(pkg.proposedPayoutFen, config.partialShareBp),
          reason: scriptedReason ?? '部分费用不属于保险责任 (part of the loss is not covered)',
          ...(final !== undefined ? { final } : {}),
        };
      case 'rejected':
        return { ...base, outcome, reason: scriptedReason ?? '经核查不属于保险责任 (not covered after investigation)' };
      case 'documents_requested':
        return {
          ...base,
          outcome,
          reason: scriptedReason ?? '请补充材料 (please supply more documents)',
          requestedDocuments: ['invoice'],
        };
    }
  }

  return {
    app,
    state,
    stop: () => {
      stopped = true;
    },
  };
}

export class InsurerSimState {
  readonly packages: ClaimPackage[] = [];
  readonly decisions: SentDecision[] = [];
  /** Every delivery received per claim, first sends, reminders and resends alike. */
  readonly received = new Map<string, number>();
  readonly scripts = new Map<string, z.infer<typeof ScriptSchema>['decisions']>();
  private readonly rounds = new Set<string>();
  private readonly scriptCursor = new Map<string, number>();

  /** Scripted decisions are used in order, one per decision the claim gets (rounds and top-ups alike). */
  nextScripted(claimNo: string): z.infer<typeof ScriptSchema>['decisions'][number] | undefined {
    const script = this.scripts.get(claimNo);
    if (!script) return undefined;
    const cursor = this.scriptCursor.get(claimNo) ?? 0;
    this.scriptCursor.set(claimNo, cursor + 1);
    return script[cursor];
  }

  /** True the first time a claim's round arrives (a resent package is not decided twice). */
  recordPackage(pkg: ClaimPackage): boolean {
    this.received.set(pkg.claimNo, (this.received.get(pkg.claimNo) ?? 0) + 1);
    const key = `${pkg.claimNo}#${pkg.round}`;
    if (this.rounds.has(key)) return false;
    this.rounds.add(key);
    this.packages.push(pkg);
    return true;
  }
}
