/**
 * Claims: what county staff file for an insured member of a household, with loss details specific to each line.
 * Amounts in integer fen. The claim number is human-friendly, unique and sorts by filing date:
 * `FP-<YYYYMMDD>-<county 6 digits>-<6-digit daily sequence>`, e.g. FP-20261129-341324-000123.
 */
import { z } from 'zod';
import { DOCUMENT_KINDS, LINES } from './codes';
import type { LocalDate } from './dates';
import { HouseholdIdSchema, MemberIdSchema } from './household';
import { ADMISSION_LEVELS } from './product';
import { BasisPointsSchema, FenSchema, LocalDateSchema } from './value-schemas';

export { outOfPocketOf } from './out-of-pocket';

const CLAIM_NO = /^FP-(\d{8})-(\d{6})-(\d{6})$/;
export const ClaimNoSchema = z.string().regex(CLAIM_NO, 'must look like FP-20261129-341324-000123');

export function formatClaimNo(filedOn: LocalDate, countyCode: string, sequence: number): string {
  if (!/^\d{6}$/.test(countyCode)) throw new RangeError('county code must be 6 digits');
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999_999) throw new RangeError('daily sequence must be 1–999999');
  return `FP-${filedOn.replace(/-/g, '')}-${countyCode}-${String(sequence).padStart(6, '0')}`;
}

export function parseClaimNo(claimNo: string): { filedOn: LocalDate; countyCode: string; sequence: number } | undefined {
  const m = CLAIM_NO.exec(claimNo);
  if (!m) return undefined;
  const d = m[1]!;
  return { filedOn: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`, countyCode: m[2]!, sequence: Number(m[3]) };
}

export const CROP_CAUSES = ['natural_disaster', 'accident', 'disease', 'flood_storage'] as const;
export const PROPERTY_CAUSES = [
  'fire',
  'explosion',
  'lightning',
  'storm',
  'flood',
  'hail',
  'collapse',
  'earthquake',
  'theft',
  'other',
] as const;

type Labels<K extends string> = Record<K, { zh: string; en: string }>;

/** The loss form's choices as staff read them. */
export const LOSS_LABELS: {
  cropCauses: Labels<(typeof CROP_CAUSES)[number]>;
  propertyCauses: Labels<(typeof PROPERTY_CAUSES)[number]>;
  accidentKinds: Labels<'death' | 'disability' | 'medical'>;
  admissionLevels: Labels<(typeof ADMISSION_LEVELS)[number]>;
} = {
  cropCauses: {
    natural_disaster: { zh: '自然灾害', en: 'natural disaster' },
    accident: { zh: '意外事故', en: 'accident' },
    disease: { zh: '病虫害', en: 'disease or pests' },
    flood_storage: { zh: '蓄滞洪区分洪', en: 'flood-storage release' },
  },
  propertyCauses: {
    fire: { zh: '火灾', en: 'fire' },
    explosion: { zh: '爆炸', en: 'explosion' },
    lightning: { zh: '雷击', en: 'lightning' },
    storm: { zh: '暴风、暴雨', en: 'storm' },
    flood: { zh: '洪水', en: 'flood' },
    hail: { zh: '冰雹', en: 'hail' },
    collapse: { zh: '房屋倒塌', en: 'collapse' },
    earthquake: { zh: '地震', en: 'earthquake' },
    theft: { zh: '盗窃', en: 'theft' },
    other: { zh: '其他', en: 'other' },
  },
  accidentKinds: {
    death: { zh: '意外身故', en: 'accidental death' },
    disability: { zh: '意外伤残', en: 'disability' },
    medical: { zh: '意外医疗', en: 'accident medical costs' },
  },
  admissionLevels: {
    senior_high: { zh: '普通高中', en: 'senior high school' },
    junior_college: { zh: '大专', en: 'junior college' },
    bachelor: { zh: '本科', en: 'bachelor' },
  },
};

/** Units in hundredths at most (2.25 亩), up to one million. */
const UnitsSchema = z
  .number()
  .positive('must be positive')
  .max(1_000_000)
  .refine((u) => Number.isInteger(Math.round(u * 100)) && Math.abs(u * 100 - Math.round(u * 100)) < 1e-6, {
    message: 'at most 2 decimal places',
  });

export const CropLossSchema = z.strictObject({
  line: z.literal('crop'),
  item: z.string().regex(/^[a-z_]{2,40}$/),
  units: UnitsSchema,
  lossRatioBp: BasisPointsSchema,
  cause: z.enum(CROP_CAUSES),
  description: z.string().max(500).optional(),
});

const nonNegativePart = FenSchema.default(0);
export const HealthLossSchema = z
  .strictObject({
    line: z.literal('health'),
    admissionDate: LocalDateSchema.optional(),
    dischargeDate: LocalDateSchema.optional(),
    totalCostFen: FenSchema,
    basicInsuranceFen: nonNegativePart,
    criticalIllnessFen: nonNegativePart,
    medicalAssistanceFen: nonNegativePart,
    otherInsuranceFen: nonNegativePart,
    nonCompliantFen: nonNegativePart,
  })
  .superRefine((h, ctx) => {
    const parts = h.basicInsuranceFen + h.criticalIllnessFen + h.medicalAssistanceFen + h.otherInsuranceFen + h.nonCompliantFen;
    if (parts > h.totalCostFen) {
      ctx.addIssue({
        code: 'custom',
        path: ['totalCostFen'],
        message: 'the reimbursed and non-compliant parts exceed the total cost',
      });
    }
    if (h.admissionDate && h.dischargeDate && h.dischargeDate < h.admissionDate) {
      ctx.addIssue({ code: 'custom', path: ['dischargeDate'], message: 'must not be before admissionDate' });
    }
  });

export const AccidentLossSchema = z.discriminatedUnion('kind', [
  z.strictObject({ line: z.literal('accident'), kind: z.literal('death'), description: z.string().max(500).optional() }),
  z.strictObject({
    line: z.literal('accident'),
    kind: z.literal('disability'),
    disabilityGrade: z.number().int().min(1, 'grade 1–10').max(10, 'grade 1–10'),
    description: z.string().max(500).optional(),
  }),
  z.strictObject({
    line: z.literal('accident'),
    kind: z.literal('medical'),
    medicalCostFen: FenSchema,
    description: z.string().max(500).optional(),
  }),
]);

export const PropertyLossSchema = z.strictObject({
  line: z.literal('property'),
  cause: z.enum(PROPERTY_CAUSES),
  assessedLossFen: FenSchema,
  description: z.string().max(500).optional(),
});

export const EducationLossSchema = z.strictObject({
  line: z.literal('education'),
  level: z.enum(ADMISSION_LEVELS),
  admissionYear: z.number().int().min(2016).max(2100),
  school: z.string().min(1).max(100),
});

export const LossSchema = z.discriminatedUnion('line', [
  CropLossSchema,
  HealthLossSchema,
  AccidentLossSchema,
  PropertyLossSchema,
  EducationLossSchema,
]);

export const ClaimDocumentSchema = z.strictObject({
  name: z.string().min(1).max(200),
  kind: z.enum(DOCUMENT_KINDS),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
});

/** What is filed. The claim number, workflow and amounts are assigned by the service. */
export const ClaimInputSchema = z
  .strictObject({
    householdId: HouseholdIdSchema,
    memberId: MemberIdSchema,
    line: z.enum(LINES),
    eventDate: LocalDateSchema,
    reportDate: LocalDateSchema,
    loss: LossSchema,
    documents: z.array(ClaimDocumentSchema).max(50).default([]),
  })
  .superRefine((c, ctx) => {
    if (c.loss.line !== c.line) {
      ctx.addIssue({
        code: 'custom',
        path: ['loss', 'line'],
        message: `loss details are for ${c.loss.line}, the claim is for ${c.line}`,
      });
    }
  });

export type ClaimInput = z.infer<typeof ClaimInputSchema>;
export type Loss = z.infer<typeof LossSchema>;
export type LossOf<L extends Loss['line']> = Extract<Loss, { line: L }>;
export type ClaimDocument = z.infer<typeof ClaimDocumentSchema>;
