/**
 * The messages of the partner protocol (docs/partner-protocol.md). One zod schema per message, used by the sender to
 * build it and by the receiver to validate it; both sides share this file.
 */
import { z } from 'zod';
import { ClaimDocumentSchema, ClaimNoSchema, LossSchema } from '../../domain/claim';
import { CATEGORIES, DOCUMENT_KINDS, LINES } from '../../domain/codes';
import { FenSchema, LocalDateSchema } from '../../domain/value-schemas';

const Instant = z.iso.datetime({ offset: true });
const ExplanationLineSchema = z.strictObject({ code: z.string(), zh: z.string(), en: z.string(), amountFen: z.number().int() });

/** fangpin → insurer: POST {insurer}/claims. The package of an approved claim. */
export const ClaimPackageSchema = z.strictObject({
  type: z.literal('claim_package'),
  claimNo: ClaimNoSchema,
  insurerId: z.string(),
  line: z.enum(LINES),
  policyYear: z.number().int(),
  productId: z.string(),
  household: z.strictObject({ householdId: z.string(), divisionCode: z.string(), categoryOnEventDate: z.enum(CATEGORIES) }),
  insured: z.strictObject({ memberId: z.string(), name: z.string(), residentId: z.string() }),
  eventDate: LocalDateSchema,
  reportDate: LocalDateSchema,
  loss: LossSchema,
  documents: z.array(ClaimDocumentSchema),
  proposedPayoutFen: FenSchema,
  explanation: z.array(ExplanationLineSchema),
  /** Increases with each package sent for the claim (a re-submission after a documents request is a new round). */
  round: z.number().int().min(1),
  sentAt: Instant,
});
export type ClaimPackage = z.infer<typeof ClaimPackageSchema>;

export const DECISION_OUTCOMES = ['approved_full', 'approved_partial', 'rejected', 'documents_requested'] as const;

/** insurer → fangpin: POST /partners/insurers/{insurerId}/decisions. */
export const InsurerDecisionSchema = z
  .strictObject({
    type: z.literal('insurer_decision'),
    decisionId: z.string().min(8).max(128),
    claimNo: ClaimNoSchema,
    insurerId: z.string(),
    /** The package round this decision answers; a decision for an older round is stale. */
    round: z.number().int().min(1),
    outcome: z.enum(DECISION_OUTCOMES),
    /** The total approved for the claim so far (a top-up decision states the new total, not the difference). */
    approvedFen: FenSchema.optional(),
    /** For approved_partial: false when this is a prepayment of the certain part and a further decision will follow. */
    final: z.boolean().optional(),
    reason: z.string().max(500).optional(),
    requestedDocuments: z.array(z.enum(DOCUMENT_KINDS)).optional(),
    decidedAt: Instant,
  })
  .superRefine((d, ctx) => {
    const needsAmount = d.outcome === 'approved_full' || d.outcome === 'approved_partial';
    if (needsAmount && d.approvedFen === undefined)
      ctx.addIssue({ code: 'custom', path: ['approvedFen'], message: `required when outcome is ${d.outcome}` });
    if (!needsAmount && d.approvedFen !== undefined)
      ctx.addIssue({ code: 'custom', path: ['approvedFen'], message: `not allowed when outcome is ${d.outcome}` });
    if ((d.outcome === 'rejected' || d.outcome === 'approved_partial') && !d.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `required when outcome is ${d.outcome}` });
    if (d.outcome === 'documents_requested' && !d.requestedDocuments?.length) {
      ctx.addIssue({ code: 'custom', path: ['requestedDocuments'], message: 'required when outcome is documents_requested' });
    }
  });
export type InsurerDecision = z.infer<typeof InsurerDecisionSchema>;

export const PayoutAccountRefSchema = z.strictObject({
  cardNumber: z.string().regex(/^\d{16,19}$/),
  holderName: z.string().min(1),
  holderResidentId: z.string().regex(/^\d{17}[\dX]$/),
});

/** fangpin → bank: POST {bank}/payouts. A repeated idempotency key never pays twice and answers with the first result. */
export const PayoutInstructionSchema = z.strictObject({
  type: z.literal('payout_instruction'),
  idempotencyKey: z.string().min(8).max(200),
  claimNo: ClaimNoSchema,
  installment: z.number().int().min(1),
  amountFen: FenSchema.refine((v) => v > 0, 'must be positive'),
  account: PayoutAccountRefSchema,
  memo: z.string().max(100),
});
export type PayoutInstruction = z.infer<typeof PayoutInstructionSchema>;

export const BOUNCE_REASONS = ['card_closed', 'card_frozen', 'name_mismatch'] as const;
export type BounceReason = (typeof BOUNCE_REASONS)[number];

export const PayoutStatusSchema = z.enum(['accepted', 'confirmed', 'bounced']);

/** The bank's answer to an instruction (and to its repeats). */
export const PayoutReceiptSchema = z.strictObject({
  idempotencyKey: z.string(),
  bankRef: z.string(),
  status: PayoutStatusSchema,
  /** The amount the bank booked for the key: a status check confirms a payment only when it equals the instruction's. */
  amountFen: FenSchema.optional(),
});
export type PayoutReceipt = z.infer<typeof PayoutReceiptSchema>;

/** bank → fangpin: POST /partners/bank/payouts. The settled outcome of an instruction. */
export const PayoutResultSchema = z
  .strictObject({
    type: z.literal('payout_result'),
    idempotencyKey: z.string(),
    claimNo: ClaimNoSchema,
    bankRef: z.string(),
    status: z.enum(['confirmed', 'bounced']),
    amountFen: FenSchema,
    /** The last four digits of the card credited: a result naming another card than the instruction's is a mismatch. */
    cardLast4: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
    reason: z.enum(BOUNCE_REASONS).optional(),
    settledAt: Instant,
  })
  .refine((r) => (r.status === 'bounced') === (r.reason !== undefined), {
    message: 'a reason is given exactly when bounced',
    path: ['reason'],
  });
export type PayoutResult = z.infer<typeof PayoutResultSchema>;

/** fangpin → data sources: POST {source}/{dataset}/query. */
export const DataQuerySchema = z.strictObject({
  residentId: z.string().regex(/^\d{17}[\dX]$/),
  from: LocalDateSchema.optional(),
  to: LocalDateSchema.optional(),
});
export type DataQuery = z.infer<typeof DataQuerySchema>;

export const MedicalSettlementSchema = z.strictObject({
  settlementId: z.string(),
  residentId: z.string(),
  hospital: z.string(),
  admissionDate: LocalDateSchema,
  dischargeDate: LocalDateSchema,
  totalCostFen: FenSchema,
  basicInsuranceFen: FenSchema,
  criticalIllnessFen: FenSchema,
  medicalAssistanceFen: FenSchema,
  nonCompliantFen: FenSchema,
});
export const AdmissionRecordSchema = z.strictObject({
  residentId: z.string(),
  admissionYear: z.number().int(),
  level: z.enum(['senior_high', 'junior_college', 'bachelor']),
  school: z.string(),
});
export const DeathRecordSchema = z.strictObject({
  residentId: z.string(),
  dateOfDeath: LocalDateSchema,
  cause: z.string().optional(),
});

export type MedicalSettlement = z.infer<typeof MedicalSettlementSchema>;
export type AdmissionRecord = z.infer<typeof AdmissionRecordSchema>;
export type DeathRecord = z.infer<typeof DeathRecordSchema>;

export const DATASETS = {
  'medical-settlements': MedicalSettlementSchema,
  admissions: AdmissionRecordSchema,
  deaths: DeathRecordSchema,
} as const;
export type Dataset = keyof typeof DATASETS;

/**
 * The medical-insurance bureau's settlement feed (医保结算数据共享): the settlements recorded after a cursor, oldest
 * first, a page at a time. The cursor is the bureau's own (opaque to us); `next` is null when nothing newer is there.
 */
export const FeedQuerySchema = z.strictObject({
  after: z.string().max(64).nullable(),
  limit: z.number().int().min(1).max(500),
});
export type FeedQuery = z.infer<typeof FeedQuerySchema>;
export const SettlementFeedPageSchema = z.strictObject({
  records: z.array(MedicalSettlementSchema),
  /** Where the next page starts: the cursor to send as `after` (the same cursor again when the page was empty). */
  cursor: z.string().max(64).nullable(),
  more: z.boolean(),
});
export type SettlementFeedPage = z.infer<typeof SettlementFeedPageSchema>;
